package vpnapi

import (
	_ "embed"

	"gatehouse/adapters/httpapi"
)

// openAPI is the OpenAPI 3 document of this frontend as mounted with no
// prefix.
//
//go:embed openapi.json
var openAPI []byte

// documentFor returns the document with its paths under prefix.
func documentFor(prefix string) httpapi.Document {
	return httpapi.MountDocument(openAPI, httpapi.Under(prefix))
}
