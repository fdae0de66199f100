package identity

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"gatehouse/core/fault"
)

// Bounds of blockchain addresses.
const (
	MaxAddresses         = 50  // per user
	MaxAddressLength     = 256 // bytes; the longest real formats are near 100
	MaxAddressNameLength = 100 // characters
)

// AddAddress returns u with a (ID already chosen) appended, its name and
// address trimmed. fault.Invalid on field "address" or "name" for an empty
// or oversized value or a space inside an address; fault.Conflict
// identity.address_exists when u has that address (compared exactly:
// several chains' formats are case-sensitive); fault.Conflict
// identity.address_limit when u has MaxAddresses already.
func AddAddress(u User, a Address) (User, error) {
	a.Name, a.Address = strings.TrimSpace(a.Name), strings.TrimSpace(a.Address)
	if err := JoinInvalid([]error{checkAddress(a.Address), checkAddressName(a.Name)}, "invalid.address"); err != nil {
		return User{}, err
	}
	if slices.ContainsFunc(u.Addresses, func(x Address) bool { return x.Address == a.Address }) {
		return User{}, fault.New(fault.Conflict, "identity.address_exists", "This address is already added.")
	}
	if len(u.Addresses) >= MaxAddresses {
		return User{}, fault.New(fault.Conflict, "identity.address_limit", "No more addresses can be added.")
	}
	u.Addresses = append(slices.Clone(u.Addresses), a)
	return u, nil
}

func checkAddress(v string) error {
	switch {
	case v == "":
		return fault.Invalidf("address", "required", "address is required")
	case len(v) > MaxAddressLength:
		return fault.Invalidf("address", "max_length", "address must be at most %d bytes", MaxAddressLength)
	case !utf8.ValidString(v) || strings.IndexFunc(v, func(r rune) bool { return unicode.IsSpace(r) || hiddenRune(r) }) >= 0:
		return fault.Invalidf("address", "format",
			"address must not contain spaces, control or invisible formatting characters (such as bidi overrides or zero-width spaces)")
	}
	return nil
}

func checkAddressName(v string) error {
	switch {
	case v == "":
		return fault.Invalidf("name", "required", "name is required")
	case utf8.RuneCountInString(v) > MaxAddressNameLength:
		return fault.Invalidf("name", "max_length", "name must be at most %d characters", MaxAddressNameLength)
	}
	return checkText("name", "name", v, "")
}
