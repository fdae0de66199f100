package authv1

import (
	"strings"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
)

// field is one required request field and its value.
type field struct {
	name, value string
}

// require returns a fault.Invalid naming every required field that is
// missing or blank, or nil when all are present.
func require(fields ...field) error {
	var missing []fault.FieldError
	var names []string
	for _, f := range fields {
		if strings.TrimSpace(f.value) == "" {
			missing = append(missing, fault.FieldError{Field: f.name, Rule: "required", Message: f.name + " is required."})
			names = append(names, f.name)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	msg := missing[0].Message
	if len(missing) > 1 {
		msg = strings.Join(names, ", ") + " are required."
	}
	return &fault.Error{Code: fault.Invalid, Reason: "invalid.required", Message: msg, Fields: missing}
}

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
