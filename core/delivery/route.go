package delivery

import (
	"errors"
	"strings"

	"gatehouse/core/fault"
)

// Routes orders the channels codes go out on: Default for every recipient,
// unless the longest of ByPrefix's E.164 prefixes ("+7", "+44") matches the
// recipient.
type Routes struct {
	Default  []string
	ByPrefix map[string][]string
}

// For returns the channels to try for recipient, in order.
func (r Routes) For(recipient string) []string {
	best, order := -1, r.Default
	for prefix, channels := range r.ByPrefix {
		if len(prefix) > best && strings.HasPrefix(recipient, prefix) {
			best, order = len(prefix), channels
		}
	}
	return order
}

// ErrE164 is the cause of BadRecipient for a number not in E.164 form.
var ErrE164 = errors.New("recipient is not an E.164 phone number")

// CheckRecipient returns BadRecipient unless phone is E.164: "+", a non-zero
// digit, then digits, 8 to 15 digits in all.
func CheckRecipient(phone string) error {
	digits := strings.TrimPrefix(phone, "+")
	if len(digits) == len(phone) || len(digits) < 8 || len(digits) > 15 || digits[0] == '0' {
		return BadRecipient(ErrE164)
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return BadRecipient(ErrE164)
		}
	}
	return nil
}

// HandsOn reports whether a channel's fault lets the next channel try: it
// does unless the recipient itself is bad, the caller gave up, or the fault
// is unclassified (a bug: surfacing it beats hiding it behind a fallback).
func HandsOn(err error) bool {
	switch fault.CodeOf(err) {
	case fault.Unavailable, fault.RateLimited:
		return true
	default:
		return false
	}
}
