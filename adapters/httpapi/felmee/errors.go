package felmee

import (
	"net/http"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
)

// The codeError values: a stable set, documented in openapi.json
// (CodeError). A client branches on these, never on messages.
const (
	ceValidation       = "validation"         // 400, 413, 415: the request is malformed; data.fields names the fields
	ceCaptchaRequired  = "captcha_required"   // 400: no captcha-token
	ceCaptchaInvalid   = "captcha_invalid"    // 400: the captcha token was refused, spent or expired
	ceCodeInvalid      = "code_invalid"       // 401: a wrong or used code or link
	ceCodeExpired      = "code_expired"       // 410: a right code past its life
	ceCodeExhausted    = "code_exhausted"     // 410: too many wrong codes; ask for a new one
	ceTooManyRequests  = "too_many_requests"  // 429 with Retry-After: cooldown or hourly budget
	ceUnauthorized     = "unauthorized"       // 401: no, or an invalid, expired or revoked JWT or RT
	ceForbidden        = "forbidden"          // 403: a blocked account, a cross-site cookie
	ceEmailTaken       = "email_taken"        // 409: the address belongs to another account
	ceNotFound         = "not_found"          // 404: no such endpoint
	ceMethodNotAllowed = "method_not_allowed" // 405
	ceUnavailable      = "unavailable"        // 503: captcha vendor, delivery or storage down (Retry-After when known)
	ceInternal         = "internal"           // 500
)

// codeErrorOf is err's codeError.
func codeErrorOf(err error) string {
	switch fault.ReasonOf(err) {
	case "captcha.required":
		return ceCaptchaRequired
	case "captcha.invalid":
		return ceCaptchaInvalid
	case "identity.code_invalid":
		return ceCodeInvalid
	case "identity.code_expired":
		return ceCodeExpired
	case "identity.code_exhausted":
		return ceCodeExhausted
	case "identity.email_taken":
		return ceEmailTaken
	case httpapi.ReasonNoRoute:
		return ceNotFound
	case httpapi.ReasonMethodNotAllowed:
		return ceMethodNotAllowed
	}
	switch fault.CodeOf(err) {
	case fault.Invalid:
		return ceValidation
	case fault.Unauthenticated:
		return ceUnauthorized
	case fault.Forbidden:
		return ceForbidden
	case fault.RateLimited:
		return ceTooManyRequests
	case fault.Unavailable:
		return ceUnavailable
	case fault.NotFound:
		return ceNotFound
	case fault.Conflict:
		return ceValidation
	case fault.Gone:
		return ceCodeExpired
	}
	return ceInternal
}

// statusOf is the generic table but for a conflict other than a taken
// address, which this contract has no use for: a request that cannot be
// served as asked, 400.
func statusOf(err error) int {
	if fault.Is(err, fault.Conflict) && fault.ReasonOf(err) != "identity.email_taken" {
		return http.StatusBadRequest
	}
	return httpapi.StatusOf(err)
}

// fieldData is the data of a validation error: the fields at fault.
type fieldData struct {
	Fields []httpapi.FieldDetail `json:"fields"`
}

// errorEnvelope is err in the envelope: success false, the message that may
// be shown, its codeError, and for validation errors the fields.
func errorEnvelope(err error) any {
	ce := codeErrorOf(err)
	env := envelope{Message: fault.MessageOf(err), CodeError: &ce}
	if fe, ok := fault.As(err); ok && fe.Code == fault.Invalid && len(fe.Fields) > 0 {
		d := fieldData{}
		for _, f := range fe.Fields {
			d.Fields = append(d.Fields, httpapi.FieldDetail{Field: f.Field, Rule: f.Rule, Message: f.Message})
		}
		env.Data = d
	}
	return env
}

// errs is contract 000's error shape.
var errs = httpapi.ErrorShape{Status: statusOf, Body: errorEnvelope}

// ErrorShape implements httpapi.ErrorOwner: unserved paths under /api/auth/
// are answered in the envelope too.
func (a *API) ErrorShape() httpapi.ErrorShape { return errs }

// PathPrefixes implements httpapi.ErrorOwner.
func (a *API) PathPrefixes() []string { return []string{a.opts.Prefix + "/api/auth/"} }
