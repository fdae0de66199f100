package telegramapi

import (
	_ "embed"
	"encoding/json"
	"net/http"
)

// openAPI is the OpenAPI 3 document of this frontend as mounted with no
// prefix.
//
//go:embed openapi.json
var openAPI []byte

// serveOpenAPI serves the document at /openapi/telegram.json.
func (a *API) serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(a.doc)
}

// documentFor returns the document with its paths under prefix, so the
// served document is true for this deployment.
func documentFor(prefix string) []byte {
	if prefix == "" {
		return openAPI
	}
	var doc map[string]json.RawMessage
	var paths map[string]json.RawMessage
	// The embedded document is checked by the tests; were it broken,
	// serving it as it is beats serving nothing.
	if json.Unmarshal(openAPI, &doc) != nil || json.Unmarshal(doc["paths"], &paths) != nil {
		return openAPI
	}
	moved := make(map[string]json.RawMessage, len(paths))
	for p, item := range paths {
		moved[prefix+p] = item
	}
	raw, err := json.Marshal(moved)
	if err != nil {
		return openAPI
	}
	doc["paths"] = raw
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return openAPI
	}
	return out
}
