package authv1

import (
	"gatehouse/core/fault"
	"gatehouse/core/identity"
)

// parseLocale reads the optional locale: en (the default) or ru.
func parseLocale(s string) (identity.Locale, error) {
	switch identity.Locale(s) {
	case "":
		return identity.LocaleEN, nil
	case identity.LocaleEN, identity.LocaleRU:
		return identity.Locale(s), nil
	default:
		return "", fault.Invalidf("locale", "enum", "locale must be en or ru.")
	}
}
