package shortener

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"strings"
)

// openAPI is the OpenAPI 3 document of this frontend as mounted with no
// prefixes.
//
//go:embed openapi.json
var openAPI []byte

// serveOpenAPI serves the document at /openapi/shortener.json.
func (a *API) serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(a.doc)
}

// documentFor returns the document with its paths where o mounts them, so
// the served document is true for this deployment: API paths under Prefix,
// redirect paths (those starting with /{alias}) under RedirectPrefix.
func documentFor(o Options) []byte {
	if o.Prefix == "" && o.RedirectPrefix == "" {
		return openAPI
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		// The embedded document is checked by the tests; were it broken,
		// serving it as it is beats serving nothing.
		return openAPI
	}
	var paths map[string]json.RawMessage
	if err := json.Unmarshal(doc["paths"], &paths); err != nil {
		return openAPI
	}
	moved := make(map[string]json.RawMessage, len(paths))
	for p, item := range paths {
		if strings.HasPrefix(p, "/{alias}") {
			moved[o.RedirectPrefix+p] = item
		} else {
			moved[o.Prefix+p] = item
		}
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
