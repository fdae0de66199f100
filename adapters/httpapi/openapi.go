package httpapi

import (
	"encoding/json"
	"net/http"
)

// Document is a frontend's OpenAPI 3 document as this deployment serves it:
// its paths where they are mounted, so the document is true for clients.
type Document []byte

// MountDocument returns raw, the document of a frontend mounted at the
// root, with every path p moved to under(p)+p. When nothing moves, or raw
// does not decode (the frontends' tests check their documents), raw is
// served as it is: a document beats none.
func MountDocument(raw []byte, under func(path string) string) Document {
	var doc map[string]json.RawMessage
	var paths map[string]json.RawMessage
	if json.Unmarshal(raw, &doc) != nil || json.Unmarshal(doc["paths"], &paths) != nil {
		return raw
	}
	moved := make(map[string]json.RawMessage, len(paths))
	changed := false
	for p, item := range paths {
		prefix := under(p)
		changed = changed || prefix != ""
		moved[prefix+p] = item
	}
	if !changed {
		return raw
	}
	movedRaw, err := json.Marshal(moved)
	if err != nil {
		return raw
	}
	doc["paths"] = movedRaw
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return raw
	}
	return out
}

// Under puts every path under prefix, for MountDocument.
func Under(prefix string) func(string) string {
	return func(string) string { return prefix }
}

// ServeHTTP serves the document as JSON that caches may keep five minutes.
func (d Document) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(d)
}
