package vpnapi

import (
	"fmt"
	"net/http"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
)

// Messages the document gives word for word.
const (
	msgUnauthenticated = "Unauthenticated."
	msgBadCredentials  = "Неверный логин или пароль"
	msgLoggedOut       = "Выход из системы выполнен успешно"
	// msgServerError is what Laravel shows for an unhandled exception
	// outside debug mode.
	msgServerError = "Server Error"
)

// messageBody is Laravel's error body: {"message"} and, for a validation
// error, {"errors": {field: [messages]}}.
type messageBody struct {
	Message string              `json:"message"`
	Errors  map[string][]string `json:"errors,omitempty"`
}

// statusOf maps a fault to the status Laravel answers it with: a
// validation error is 422, the rest as the generic table has them.
func statusOf(err error) int {
	if fault.CodeOf(err) == fault.Invalid {
		switch fault.ReasonOf(err) {
		case httpapi.ReasonBodyTooLarge, httpapi.ReasonMediaType:
		default:
			return http.StatusUnprocessableEntity
		}
	}
	return httpapi.StatusOf(err)
}

// bodyOf is the Laravel body of err. Every unauthenticated answer is the
// document's exact {"message": "Unauthenticated."}, whatever the reason
// (missing, unknown, expired or revoked token), as Laravel's auth guard
// answers.
func bodyOf(err error) any {
	fe, ok := fault.As(err)
	switch {
	case !ok || fe.Code == fault.Internal:
		return messageBody{Message: msgServerError}
	case fe.Code == fault.Unauthenticated:
		return messageBody{Message: msgUnauthenticated}
	case len(fe.Fields) == 0:
		return messageBody{Message: fe.Message}
	}
	// Laravel's validation answer: the first message, how many more, and
	// every message by field.
	b := messageBody{Message: fe.Fields[0].Message, Errors: map[string][]string{}}
	for _, f := range fe.Fields {
		b.Errors[f.Field] = append(b.Errors[f.Field], f.Message)
	}
	if more := len(fe.Fields) - 1; more > 0 {
		b.Message += fmt.Sprintf(" (and %d more %s)", more, plural(more, "error", "errors"))
	}
	return b
}

// errs is contract 001's error shape.
var errs = httpapi.ErrorShape{Status: statusOf, Body: bodyOf}

// loginBody is the document's answer to wrong credentials: {"error": ...}.
type loginBody struct {
	Error string `json:"error"`
}

// loginErrs answers a refused login: wrong credentials (an unknown account
// alike; the identity use cases tell them apart to no one) are the document's 401 {"error": "Неверный логин или
// пароль"}; anything else (throttled, blocked, a form error) is answered
// as every other error of the contract.
var loginErrs = httpapi.ErrorShape{Status: statusOf, Body: func(err error) any {
	if fault.Is(err, fault.Unauthenticated) {
		return loginBody{Error: msgBadCredentials}
	}
	return bodyOf(err)
}}

// ErrorShape implements httpapi.ErrorOwner: this contract's paths that no
// route serves are answered in Laravel's shape too.
func (a *API) ErrorShape() httpapi.ErrorShape { return errs }

// PathPrefixes implements httpapi.ErrorOwner with the exact paths of this
// contract, not all of /api/: other contracts (000's /api/auth/...) live
// under /api/ too. /api/user covers /api/userApp.
func (a *API) PathPrefixes() []string {
	p := a.opts.Prefix
	return []string{
		p + "/api/login", p + "/api/logout", p + "/api/user", p + "/api/subscription",
		p + "/api/servers", p + "/api/key", p + "/api/vpn/",
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
