package identity

import (
	"strings"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"

	"gatehouse/core/fault"
)

// maxPhoneInput bounds what NormalizePhone reads: any human spelling of a
// number fits, and the parser never sees an unbounded string.
const maxPhoneInput = 64

// NormalizePhone returns raw in E.164 ("+79991234567"), the stored form of
// a phone handle. raw may be any human spelling: spaces, dashes, dots,
// brackets, a leading + or 00, a national trunk prefix ("8 (999) 123 45 67"
// in Russia), or the country code without + ("79991234567"). A number
// without a country code is read in defaultRegion (ISO 3166 alpha-2, such as
// "RU"); with defaultRegion "" only international spellings are accepted.
// Numbers that no numbering plan assigns are refused, so two spellings of
// one number always give one handle and a typo gives no account.
// The error is fault.Invalid on field (the request's name for the phone).
func NormalizePhone(field, raw, defaultRegion string) (string, error) {
	raw = strings.TrimSpace(raw)
	switch {
	case raw == "":
		return "", fault.Invalidf(field, "required", "%s is required", field)
	case len(raw) > maxPhoneInput || !utf8.ValidString(raw) || strings.IndexFunc(raw, badPhoneRune) >= 0:
		return "", fault.Invalidf(field, "format", "%s must be a phone number such as +7 999 123-45-67", field)
	}
	if strings.HasPrefix(raw, "00") {
		raw = "+" + raw[2:]
	}
	region := strings.ToUpper(defaultRegion)
	if region == "" {
		region = "ZZ" // unknown: the parser then requires a country code
	}
	n, err := phonenumbers.Parse(raw, region)
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", fault.Invalidf(field, "format", "%s must be a valid phone number such as +7 999 123-45-67", field)
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// ValidPhoneRegion reports whether region is "" or a region the phone
// number rules know, for checking configuration.
func ValidPhoneRegion(region string) bool {
	return region == "" || phonenumbers.GetCountryCodeForRegion(strings.ToUpper(region)) != 0
}

// badPhoneRune refuses what no spelling of a number needs: letters (vanity
// numbers are not handles) and control or format characters.
func badPhoneRune(r rune) bool {
	switch {
	case r >= '0' && r <= '9', r == '+', r == ' ', r == '-', r == '.', r == '(', r == ')', r == '/':
		return false
	case r == '\u00a0', r == '\u2011', r == '\u2012', r == '\u2013', r == '\u2212':
		return false // no-break space and the dashes word processors put in numbers
	}
	return true
}
