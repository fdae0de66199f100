package httpapi

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"gatehouse/core/fault"
)

// ErrorBody is the generic error shape: {"error":{"code","reason","message","fields"}}.
// The base answers with it outside any frontend; frontends whose contract
// has no error shape of its own may use it too.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the inside of ErrorBody.
type ErrorDetail struct {
	Code    string        `json:"code"`
	Reason  string        `json:"reason,omitempty"`
	Message string        `json:"message"`
	Fields  []FieldDetail `json:"fields,omitempty"`
}

// FieldDetail names one input field and the rule it broke.
type FieldDetail struct {
	Field   string `json:"field"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// NewErrorBody builds the generic body of err: its code, reason, the message
// that may be shown (only "Internal error." for anything unclassified) and
// its field errors. Internal causes never reach the body.
func NewErrorBody(err error) ErrorBody {
	code := fault.CodeOf(err)
	d := ErrorDetail{Code: string(code), Message: fault.MessageOf(err)}
	if fe, ok := fault.As(err); ok && code != fault.Internal {
		d.Reason = fe.Reason
		for _, f := range fe.Fields {
			d.Fields = append(d.Fields, FieldDetail{Field: f.Field, Rule: f.Rule, Message: f.Message})
		}
	}
	return ErrorBody{Error: d}
}

// StatusOf is the generic mapping of a fault to an HTTP status. Two reasons
// of DecodeJSON get their own statuses: a body over the limit is 413 and a
// non-JSON content type is 415.
func StatusOf(err error) int {
	switch fault.ReasonOf(err) {
	case ReasonBodyTooLarge:
		return http.StatusRequestEntityTooLarge
	case ReasonMediaType:
		return http.StatusUnsupportedMediaType
	}
	switch fault.CodeOf(err) {
	case fault.Invalid:
		return http.StatusBadRequest
	case fault.Unauthenticated:
		return http.StatusUnauthorized
	case fault.Forbidden:
		return http.StatusForbidden
	case fault.NotFound:
		return http.StatusNotFound
	case fault.Conflict:
		return http.StatusConflict
	case fault.RateLimited:
		return http.StatusTooManyRequests
	case fault.Unavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// WriteError answers err in the generic shape with StatusOf(err), and a
// Retry-After header when err says how long to wait. Internal errors are
// logged with the request's logger; the caller sees only "Internal error.".
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	status := StatusOf(err)
	if status == http.StatusInternalServerError {
		Logger(r.Context()).LogAttrs(r.Context(), slog.LevelError, "request failed", slog.Any("err", err))
	}
	SetRetryAfter(w, err)
	WriteJSON(w, status, NewErrorBody(err))
}

// SetRetryAfter sets the Retry-After header (RFC 9110 10.2.3, in whole
// seconds, rounded up so a client never comes back too early) when err is a
// fault.Error with a positive RetryAfter; otherwise it does nothing.
// Frontends with their own error shapes call it before writing the status.
func SetRetryAfter(w http.ResponseWriter, err error) {
	fe, ok := fault.As(err)
	if !ok || fe.RetryAfter <= 0 {
		return
	}
	secs := int64((fe.RetryAfter + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
}

// writeStatus answers a fixed status in the generic shape.
func writeStatus(w http.ResponseWriter, status int, code fault.Code, message string) {
	WriteJSON(w, status, ErrorBody{Error: ErrorDetail{Code: string(code), Message: message}})
}

// notFound answers routes no frontend serves.
func notFound(w http.ResponseWriter, _ *http.Request) {
	writeStatus(w, http.StatusNotFound, fault.NotFound, "No such endpoint.")
}

// methodNotAllowed answers a known path asked with the wrong method.
func methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	WriteJSON(w, http.StatusMethodNotAllowed, ErrorBody{Error: ErrorDetail{
		Code:    "method_not_allowed",
		Message: "Method " + r.Method + " is not allowed here.",
	}})
}

// isAbort reports whether a recovered value is http.ErrAbortHandler, which
// net/http uses to abort a response on purpose and which must propagate.
func isAbort(v any) bool {
	err, ok := v.(error)
	return ok && errors.Is(err, http.ErrAbortHandler)
}
