package authv1

import _ "embed"

// openAPI is the OpenAPI 3 document of this frontend.
//
//go:embed openapi.json
var openAPI []byte
