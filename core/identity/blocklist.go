package identity

import (
	_ "embed" // for the common-password list
	"strings"
)

// commonPasswords is the blocklist: one lower-cased password per line,
// sorted, from the top of public breach-corpus lists (RockYou, the yearly
// SplashData and NordPass lists, SecLists) plus the patterns those lists are
// made of: years, repeated and sequential digits, keyboard walks.
//
//go:embed common_passwords.txt
var commonPasswords string

// IsCommonPassword reports whether password, lower-cased, is in the
// embedded blocklist.
//
// The list is searched as text (a line equal to the password) rather than
// loaded into a map: it is about 15 KB, a check costs microseconds next
// to the password hash that follows it, and the package keeps no state.
func IsCommonPassword(password string) bool {
	if password == "" || strings.ContainsAny(password, "\r\n") {
		// A line break would let the needle span two entries.
		return false
	}
	line := strings.ToLower(password) + "\n"
	return strings.HasPrefix(commonPasswords, line) || strings.Contains(commonPasswords, "\n"+line)
}
