// Package fault holds the one error type every layer of gatehouse uses.
//
// An error is classified once, where its meaning is known (a use case, a store),
// with a Code, a stable Reason and a human Message. Frontends map the Code to
// their contract's status and body; nothing inspects error strings.
package fault

import (
	"errors"
	"fmt"
	"time"
)

// Code is the class of a failure; frontends map it to a status.
type Code string

// The codes. Anything not classified is Internal.
const (
	Invalid         Code = "invalid"
	Unauthenticated Code = "unauthenticated"
	Forbidden       Code = "forbidden"
	NotFound        Code = "not_found"
	Gone            Code = "gone" // existed, and never will again: an expired or used-up link or code
	Conflict        Code = "conflict"
	RateLimited     Code = "rate_limited"
	Unavailable     Code = "unavailable"
	Internal        Code = "internal"
)

// FieldError names one input field and the rule it broke.
type FieldError struct {
	Field   string
	Rule    string
	Message string
}

// Error is a classified failure.
type Error struct {
	Code    Code
	Reason  string // stable and machine-readable, e.g. "identity.email_taken"
	Message string // safe to show to the caller
	Fields  []FieldError
	// RetryAfter is how long a RateLimited caller should wait; zero if unknown.
	RetryAfter time.Duration
	Err        error // the cause, never shown to the caller
}

// New returns a classified error without a cause.
func New(code Code, reason, message string) *Error {
	return &Error{Code: code, Reason: reason, Message: message}
}

// Wrap classifies err. The cause stays reachable through errors.Is/As.
func Wrap(err error, code Code, reason, message string) *Error {
	return &Error{Code: code, Reason: reason, Message: message, Err: err}
}

// Invalidf returns an Invalid error for one field.
func Invalidf(field, rule, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	return &Error{
		Code:    Invalid,
		Reason:  "invalid." + field,
		Message: msg,
		Fields:  []FieldError{{Field: field, Rule: rule, Message: msg}},
	}
}

// Error implements error.
func (e *Error) Error() string {
	s := string(e.Code)
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same Code and Reason, so
// sentinel values such as ErrNotFound-style vars can be compared with errors.Is.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	return t.Code == e.Code && (t.Reason == "" || t.Reason == e.Reason)
}

// As finds the first *Error in err's chain.
func As(err error) (*Error, bool) {
	var fe *Error
	if errors.As(err, &fe) {
		return fe, true
	}
	return nil, false
}

// CodeOf returns err's Code: "" for nil, Internal when unclassified.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	if fe, ok := As(err); ok {
		return fe.Code
	}
	return Internal
}

// ReasonOf returns err's Reason, or "" when unclassified.
func ReasonOf(err error) string {
	if fe, ok := As(err); ok {
		return fe.Reason
	}
	return ""
}

// MessageOf returns the message that may be shown to a caller: the classified
// message, or "Internal error." for anything unclassified or internal.
func MessageOf(err error) string {
	fe, ok := As(err)
	if !ok || fe.Code == Internal || fe.Message == "" {
		return "Internal error."
	}
	return fe.Message
}

// Is reports whether err carries code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }
