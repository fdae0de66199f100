// Package captcha holds the rules that judge a captcha vendor's verdict on a
// token: success, the reported action and, for scoring vendors, the score.
// Adapters translate each vendor's siteverify answer into a Verdict; the
// decision is made here, once, for every vendor.
package captcha

import (
	"time"

	"gatehouse/core/fault"
)

// The stable reasons of captcha faults, as ports.Captcha documents them.
const (
	ReasonRequired    = "captcha.required"
	ReasonInvalid     = "captcha.invalid"
	ReasonUnavailable = "captcha.unavailable"
)

// Required is the fault for a request that carries no captcha token.
func Required() error {
	return fault.New(fault.Invalid, ReasonRequired, "A captcha token is required.")
}

// Invalid is the fault for a token the vendor refused, one already spent or
// expired, or one whose action or score does not pass. why says which, for
// logs only: callers see one reason so a bot cannot learn what to fix.
func Invalid(why string) error {
	return &fault.Error{Code: fault.Invalid, Reason: ReasonInvalid, Message: "The captcha was not solved; try again.", Err: errorString(why)}
}

// Unavailable is the fault for a vendor that could not be asked, or answered
// that it failed; retryAfter is zero when unknown.
func Unavailable(cause error, retryAfter time.Duration) error {
	return &fault.Error{Code: fault.Unavailable, Reason: ReasonUnavailable,
		Message: "The captcha check is unavailable; try again later.", RetryAfter: retryAfter, Err: cause}
}

type errorString string

func (e errorString) Error() string { return string(e) }
