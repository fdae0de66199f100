package account

import (
	_ "embed"
	"net/http"
)

// openAPI is the OpenAPI 3 document of this frontend.
//
//go:embed openapi.json
var openAPI []byte

// serveOpenAPI serves the document at /openapi/account.json.
func serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(openAPI)
}
