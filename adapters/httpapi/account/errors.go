package account

import (
	"net/http"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
	"gatehouse/core/identity"
)

// errorBody is the contract's error shape.
type errorBody struct {
	ErrorMessage string `json:"errorMessage"`
}

// statusOf maps a fault to this contract's status. The document knows 400
// (user form input error), 403 (request data is incorrect) and 500; so
// wrong credentials, a missing, invalid or expired token, a blocked account
// and a taken login or email are all 403. Beyond the document, and listed in
// openapi.json: 404 for a user not found, 429 when throttled, 503 when a
// dependency is down. Every malformed request, an oversized or non-JSON
// body included, is a form error: 400.
func statusOf(err error) int {
	switch fault.CodeOf(err) {
	case fault.Invalid:
		return http.StatusBadRequest
	case fault.Unauthenticated, fault.Forbidden, fault.Conflict:
		return http.StatusForbidden
	}
	return httpapi.StatusOf(err)
}

// errs is contract 004's error shape: {"errorMessage": ...} with statusOf.
var errs = httpapi.ErrorShape{Status: statusOf, Body: func(err error) any {
	return errorBody{ErrorMessage: messageOf(err)}
}}

// ErrorShape implements httpapi.ErrorOwner: paths of this contract that no
// route serves are answered in its shape too.
func (a *API) ErrorShape() httpapi.ErrorShape { return errs }

// PathPrefixes implements httpapi.ErrorOwner.
func (a *API) PathPrefixes() []string {
	return []string{a.opts.Prefix + "/account/", a.opts.Prefix + "/info/"}
}

// messageOf is the errorMessage of err: "<field>: <rule>" for each field of
// a form error, the field that is taken for a registration conflict, else
// the fault's own message.
func messageOf(err error) string {
	fe, ok := fault.As(err)
	if !ok || fe.Code == fault.Internal {
		return fault.MessageOf(err)
	}
	if len(fe.Fields) > 0 {
		return fieldsMessage(fe.Fields)
	}
	switch fe.Reason {
	case identity.ReasonLoginTaken:
		return "login: is already taken"
	case identity.ReasonEmailTaken:
		return "email: is already registered"
	}
	return fault.MessageOf(err)
}
