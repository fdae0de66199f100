package identity

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"gatehouse/core/fault"
)

// PasswordPolicy is what a new password must satisfy. The default follows
// NIST SP 800-63B: a length window, no composition rules (no "one digit,
// one symbol"), and a blocklist of passwords attackers try first.
// A contract may tighten it; it should not loosen MinLength below 8.
type PasswordPolicy struct {
	// MinLength and MaxLength bound the length in Unicode code points, so
	// "пароль12" is 8 characters although it is 14 bytes. No normalisation
	// is applied: the password is hashed exactly as typed.
	MinLength int
	MaxLength int
	// Blocklist refuses the common passwords embedded in this package,
	// compared case-insensitively.
	Blocklist bool
}

// DefaultPasswordPolicy returns the NIST SP 800-63B baseline: 8..128
// characters and the common-password blocklist.
func DefaultPasswordPolicy() PasswordPolicy {
	return PasswordPolicy{MinLength: 8, MaxLength: 128, Blocklist: true}
}

// Validate reports a policy that cannot be satisfied or is meaningless.
func (p PasswordPolicy) Validate() error {
	switch {
	case p.MinLength < 1:
		return fmt.Errorf("identity: password policy: min length must be at least 1, got %d", p.MinLength)
	case p.MaxLength < p.MinLength:
		return fmt.Errorf("identity: password policy: max length %d is below min length %d", p.MaxLength, p.MinLength)
	}
	return nil
}

// Check reports whether password may be set for the account with the given
// (normalised) login and email; either may be empty. The error is
// fault.Invalid on field "password" with rule min_length, max_length,
// common, same_as_login or same_as_email.
func (p PasswordPolicy) Check(password, login, email string) error {
	n := utf8.RuneCountInString(password)
	if n < p.MinLength {
		return fault.Invalidf("password", "min_length", "password must be at least %d characters", p.MinLength)
	}
	if n > p.MaxLength {
		return fault.Invalidf("password", "max_length", "password must be at most %d characters", p.MaxLength)
	}
	// A password equal to a handle is known to anyone who knows the account.
	if login != "" && strings.EqualFold(password, login) {
		return fault.Invalidf("password", "same_as_login", "password must not be the same as the login")
	}
	if email != "" && strings.EqualFold(password, email) {
		return fault.Invalidf("password", "same_as_email", "password must not be the same as the email")
	}
	if p.Blocklist && IsCommonPassword(password) {
		return fault.Invalidf("password", "common",
			"password is too common and easy to guess; choose another one")
	}
	return nil
}
