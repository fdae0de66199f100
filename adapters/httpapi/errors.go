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

// Reasons of the router's own faults, answered in the shape of the
// frontend whose paths they are on.
const (
	ReasonNoRoute          = "http.no_route"
	ReasonMethodNotAllowed = "http.method_not_allowed"
)

// StatusOf is the generic mapping of a fault to an HTTP status. A few
// reasons of the HTTP layer get their own statuses: a body over the limit
// is 413, a non-JSON content type 415, a known path asked with the wrong
// method 405.
func StatusOf(err error) int {
	switch fault.ReasonOf(err) {
	case ReasonBodyTooLarge:
		return http.StatusRequestEntityTooLarge
	case ReasonMediaType:
		return http.StatusUnsupportedMediaType
	case ReasonMethodNotAllowed:
		return http.StatusMethodNotAllowed
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
	case fault.Gone:
		return http.StatusGone
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

// ErrorShape is how one frontend answers errors: its contract's status
// table and error body. The zero value is the generic shape (StatusOf and
// ErrorBody). Every error of every frontend is written by Write, so the
// rules around the table and the body hold everywhere alike.
type ErrorShape struct {
	// Status maps a fault to the contract's status; nil means StatusOf.
	Status func(err error) int
	// Body is the contract's error body of err; nil means NewErrorBody.
	Body func(err error) any
}

// Write answers err in this shape: the status from the table, a
// Retry-After header whenever err says how long to wait (whatever the
// status), and the body. Internal errors are logged with the request's
// logger and shown only as "Internal error."; every error is counted in
// the metrics by its fault reason.
func (s ErrorShape) Write(w http.ResponseWriter, r *http.Request, err error) {
	status := StatusOf(err)
	if s.Status != nil {
		status = s.Status(err)
	}
	reason := fault.ReasonOf(err)
	if status == http.StatusInternalServerError || fault.CodeOf(err) == fault.Internal {
		Logger(r.Context()).LogAttrs(r.Context(), slog.LevelError, "request failed", slog.Any("err", err))
		reason = string(fault.Internal)
	}
	if info := infoFrom(r.Context()); info != nil {
		info.reason = reason
	}
	SetRetryAfter(w, err)
	var body any
	if s.Body != nil {
		body = s.Body(err)
	} else {
		body = NewErrorBody(err)
	}
	WriteJSON(w, status, body)
}

// WriteError answers err in the generic shape.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	ErrorShape{}.Write(w, r, err)
}

// SetRetryAfter sets the Retry-After header (RFC 9110 10.2.3, in whole
// seconds, rounded up so a client never comes back too early) when err is a
// fault.Error with a positive RetryAfter; otherwise it does nothing.
func SetRetryAfter(w http.ResponseWriter, err error) {
	fe, ok := fault.As(err)
	if !ok || fe.RetryAfter <= 0 {
		return
	}
	secs := int64((fe.RetryAfter + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
}

// writeStatus answers a fixed status in the generic shape, for the panic
// handler, which must not depend on anything that might have panicked.
func writeStatus(w http.ResponseWriter, status int, code fault.Code, message string) {
	WriteJSON(w, status, ErrorBody{Error: ErrorDetail{Code: string(code), Message: message}})
}

// errNoRoute is what a path no route serves gets.
var errNoRoute = fault.New(fault.NotFound, ReasonNoRoute, "No such endpoint.")

// errMethod is what a known path asked with the wrong method gets.
func errMethod(r *http.Request) error {
	return fault.New(fault.NotFound, ReasonMethodNotAllowed, "Method "+r.Method+" is not allowed here.")
}

// isAbort reports whether a recovered value is http.ErrAbortHandler, which
// net/http uses to abort a response on purpose and which must propagate.
func isAbort(v any) bool {
	err, ok := v.(error)
	return ok && errors.Is(err, http.ErrAbortHandler)
}
