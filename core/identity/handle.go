package identity

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"gatehouse/core/fault"
)

// Bounds of the handles, in bytes (handles are ASCII or close to it).
const (
	MaxEmailLength = 254 // RFC 5321 path limit minus the angle brackets
	MinLoginLength = 3
	MaxLoginLength = 64
)

// NormalizeEmail returns the stored form of an email address: surrounding
// space trimmed, then HandleKey (compatibility forms and case folded).
//
// RFC 5321 lets the local part be case-sensitive, but no mail system people
// use treats it so, and two accounts differing only in case or in how the
// same letters are encoded are a spoofing risk, never a feature. Dots and
// "+tags" are kept: they are provider-specific and removing them would
// merge distinct addresses.
func NormalizeEmail(email string) string {
	return HandleKey(strings.TrimSpace(email))
}

// ValidateEmail checks a normalised email address: at most MaxEmailLength
// bytes, exactly one "@", a non-empty local part, a domain of non-empty
// dot-separated labels with at least one dot, and no spaces, control or
// format characters (see hiddenRune). It is deliberately no full RFC 5322 parser: whether an address
// really exists is proven by sending mail to it, not by syntax.
// The error is fault.Invalid on field "email".
func ValidateEmail(email string) error {
	return validateEmail("email", email)
}

func validateEmail(field, email string) error {
	switch {
	case email == "":
		return fault.Invalidf(field, "required", "%s is required", field)
	case len(email) > MaxEmailLength:
		return fault.Invalidf(field, "max_length", "%s must be at most %d bytes", field, MaxEmailLength)
	case !utf8.ValidString(email) || strings.IndexFunc(email, badEmailRune) >= 0:
		return fault.Invalidf(field, "format",
			"%s must not contain spaces, control or invisible formatting characters (such as bidi overrides or zero-width spaces)", field)
	}
	local, domain, ok := strings.Cut(email, "@")
	if !ok || strings.Contains(domain, "@") {
		return fault.Invalidf(field, "format", "%s must contain exactly one @", field)
	}
	if local == "" {
		return fault.Invalidf(field, "format", "%s must have a name before the @", field)
	}
	if !validDomain(domain) {
		return fault.Invalidf(field, "format", "%s must have a domain such as example.com after the @", field)
	}
	return nil
}

// badEmailRune reports runes never allowed in an address we store: any
// white space (a trimmed address has none left legitimately), control
// characters, which would corrupt logs and mail headers, and format
// characters, which make one address look like another.
func badEmailRune(r rune) bool {
	return unicode.IsSpace(r) || hiddenRune(r) || r == utf8.RuneError
}

// validDomain requires at least two labels, none empty, so "a@b",
// "a@.com", "a@b." and "a@b..c" are refused.
func validDomain(domain string) bool {
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" {
			return false
		}
	}
	return true
}

// LooksLikeEmail reports whether a handle is meant as an email address
// rather than a login: it contains an "@", which no login may.
func LooksLikeEmail(handle string) bool {
	return strings.Contains(handle, "@")
}

// NormalizeLogin returns the stored form of a login (contract 002's
// username): trimmed, then HandleKey, so "Alice", "ａｌｉｃｅ" and "alice"
// are one account. A login that is an email address gets the same form as
// NormalizeEmail gives it.
func NormalizeLogin(login string) string {
	return HandleKey(strings.TrimSpace(login))
}

// ValidateLogin checks a normalised login. gatehouse's general rule is
// MinLoginLength..MaxLoginLength characters of [a-z0-9._-], or an email
// address (contract 003 signs in with the email as login; see ValidateEmail).
// Contracts with stricter rules apply them in their frontend.
// The error is fault.Invalid on field "login".
func ValidateLogin(login string) error {
	if login == "" {
		return fault.Invalidf("login", "required", "login is required")
	}
	if LooksLikeEmail(login) {
		return validateEmail("login", login)
	}
	if err := checkText("login", "login", login, ""); err != nil {
		return err
	}
	if len(login) < MinLoginLength {
		return fault.Invalidf("login", "min_length", "login must be at least %d characters", MinLoginLength)
	}
	if len(login) > MaxLoginLength {
		return fault.Invalidf("login", "max_length", "login must be at most %d characters", MaxLoginLength)
	}
	for i := 0; i < len(login); i++ {
		if !loginByte(login[i]) {
			return fault.Invalidf("login", "charset",
				"login may contain only lower-case letters a-z, digits and . _ -")
		}
	}
	return nil
}

func loginByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-'
}
