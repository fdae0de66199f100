package identity

import (
	"time"

	"gatehouse/core/fault"
)

// The stable reasons of one-time code faults, as the ports document them.
const (
	ReasonCodeInvalid   = "identity.code_invalid"
	ReasonCodeExpired   = "identity.code_expired"
	ReasonCodeExhausted = "identity.code_exhausted"
	ReasonCodeCooldown  = "identity.code_cooldown"
)

// ErrCodeInvalid is the answer to a wrong, used or misdirected code, and to
// any code for a recipient that was sent none.
func ErrCodeInvalid() error {
	return fault.New(fault.Unauthenticated, ReasonCodeInvalid, "The code is invalid.")
}

// ErrCodeExpired is the answer to a right code presented after its life.
func ErrCodeExpired() error {
	return fault.New(fault.Gone, ReasonCodeExpired, "The code has expired; request a new one.")
}

// ErrCodeExhausted is the answer once a code's attempts are spent: only a
// new code helps.
func ErrCodeExhausted() error {
	return fault.New(fault.Gone, ReasonCodeExhausted, "Too many wrong codes; request a new one.")
}

// ErrCodeCooldown is the answer to a send sooner than the cooldown allows.
func ErrCodeCooldown(wait time.Duration) error {
	if r := wait % time.Second; r != 0 {
		wait += time.Second - r
	}
	return &fault.Error{
		Code: fault.RateLimited, Reason: ReasonCodeCooldown,
		Message: "A code was sent moments ago; wait before asking for another.", RetryAfter: wait,
	}
}
