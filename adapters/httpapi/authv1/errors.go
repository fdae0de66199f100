package authv1

import "gatehouse/adapters/httpapi"

// errs is contract 003's error shape, {"error":{code, reason, message,
// fields}}, with plain HTTP statuses: the contract names only 201 for
// registration, and openapi.json documents the rest.
var errs = httpapi.ErrorShape{}
