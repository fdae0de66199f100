package shortener

import (
	_ "embed"
	"strings"

	"gatehouse/adapters/httpapi"
)

// openAPI is the OpenAPI 3 document of this frontend as mounted with no
// prefixes.
//
//go:embed openapi.json
var openAPI []byte

// documentFor returns the document with its paths where o mounts them:
// API paths under Prefix, redirect paths (those starting with /{alias})
// under RedirectPrefix.
func documentFor(o Options) httpapi.Document {
	return httpapi.MountDocument(openAPI, func(p string) string {
		if strings.HasPrefix(p, "/{alias}") {
			return o.RedirectPrefix
		}
		return o.Prefix
	})
}
