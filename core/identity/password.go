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
	// Blocklist refuses the passwords of the breached-password list
	// embedded in this package and their usual variants (see commonForms).
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
// same_as_login, same_as_email, contains_login, contains_email or common;
// any other error means the embedded list did not decode (internal).
func (p PasswordPolicy) Check(password, login, email string) error {
	n := utf8.RuneCountInString(password)
	if n < p.MinLength {
		return fault.Invalidf("password", "min_length", "password must be at least %d characters", p.MinLength)
	}
	if n > p.MaxLength {
		return fault.Invalidf("password", "max_length", "password must be at most %d characters", p.MaxLength)
	}
	// A password equal to a handle, or built around one, is known to anyone
	// who knows the account.
	if login != "" && strings.EqualFold(password, login) {
		return fault.Invalidf("password", "same_as_login", "password must not be the same as the login")
	}
	if email != "" && strings.EqualFold(password, email) {
		return fault.Invalidf("password", "same_as_email", "password must not be the same as the email")
	}
	forms := leetForms(strings.ToLower(password))
	if containsHandle(forms, login) || containsHandle(forms, localPart(login)) {
		return fault.Invalidf("password", "contains_login", "password must not contain the login")
	}
	if containsHandle(forms, localPart(email)) {
		return fault.Invalidf("password", "contains_email",
			"password must not contain the email address or its name before the @")
	}
	if !p.Blocklist {
		return nil
	}
	common, err := isCommon(password)
	if err != nil {
		return err
	}
	if common {
		return fault.Invalidf("password", "common",
			"password is too common and easy to guess: it is, or is built from, a password "+
				"known from data breaches; choose another one")
	}
	return nil
}

// minHandleRunes is the shortest login or email name that a password may
// not contain: shorter ones ("bob", "ann") occur inside ordinary words and
// passphrases, and would refuse far more than they protect.
const minHandleRunes = 4

// containsHandle reports whether any of the forms (a lower-cased password
// and its leet readings) contains handle, lower-cased; short handles never
// match.
func containsHandle(forms []string, handle string) bool {
	if utf8.RuneCountInString(handle) < minHandleRunes {
		return false
	}
	handle = strings.ToLower(handle)
	for _, f := range forms {
		if strings.Contains(f, handle) {
			return true
		}
	}
	return false
}

// localPart returns the name before the last @ of an email address, or ""
// when handle is no email address.
func localPart(handle string) string {
	i := strings.LastIndexByte(handle, '@')
	if i < 0 {
		return ""
	}
	return handle[:i]
}

// isCommon reports whether any of the forms of password that commonForms
// gives is in the breached-password list.
func isCommon(password string) (bool, error) {
	set, err := breachedSet()
	if err != nil {
		return false, err
	}
	for _, f := range commonForms(password) {
		if set.has(f) {
			return true, nil
		}
	}
	return false, nil
}
