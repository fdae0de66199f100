package identity

import "strings"

// IsCommonPassword reports whether password, lower-cased, is an entry of
// the embedded breached-password list, for tests of the list itself. It
// matches entries exactly; the variants PasswordPolicy.Check also refuses
// are described in commonForms.
func IsCommonPassword(password string) (bool, error) {
	set, err := breachedSet()
	if err != nil {
		return false, err
	}
	return set.has(strings.ToLower(password)), nil
}

// len is how many entries s holds.
func (s passwordSet) len() int { return len(s.ends) }
