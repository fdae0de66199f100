package account

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gatehouse/core/fault"
)

// rule is one field rule of contract 004. The contract is stricter than
// gatehouse's general rules, so these apply at this frontend before the use
// cases apply theirs.
type rule struct {
	name       string // the fault rule: "format", "required"
	text       string // what the caller is told, after "<field>: "
	allowEmpty bool   // "" is a valid value (clears an optional field)
	valid      func(string) bool
}

// The document's patterns, compiled once; regexps are safe for concurrent use.
var (
	loginPattern = regexp.MustCompile(`^[a-z0-9_]{4,32}$`)
	emailPattern = regexp.MustCompile(`^(.+)@(.+)\.(.+)$`)
	// The document writes [А-Я]{1}[а-я ]{1,255}. Ё and ё lie outside the
	// ranges А-Я and а-я in Unicode, yet they are letters of the Russian
	// alphabet ("Семён", "Ёлкин"), so they are accepted too.
	namePattern  = regexp.MustCompile(`^[А-ЯЁ][а-яё ]{1,255}$`)
	colorPattern = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)
)

// rules maps each field of the contract that has a rule to it.
var rules = map[string]rule{
	"login": {name: "format", text: "must match [a-z0-9_]{4,32}", valid: loginPattern.MatchString},
	"password": {name: "format", text: "must be 8 to 20 characters with a digit, a lower-case and an upper-case letter",
		valid: strongPassword},
	"email":      {name: "format", text: `must match ^(.+)@(.+)\.(.+)$`, valid: emailPattern.MatchString},
	"first_name": {name: "format", text: nameText, valid: namePattern.MatchString},
	"last_name":  {name: "format", text: nameText, valid: namePattern.MatchString},
	"patronymic": {name: "format", text: nameText + " or be empty", allowEmpty: true, valid: namePattern.MatchString},
	"birthday": {name: "format", text: "must be a date YYYY-MM-DD or be empty", allowEmpty: true,
		valid: calendarDate},
	"background_color": {name: "format", text: "must be a colour #RRGGBB or be empty", allowEmpty: true,
		valid: colorPattern.MatchString},
}

const nameText = "must match [А-Я][а-я ]{1,255}: a capital Cyrillic letter, then Cyrillic lower-case letters or spaces"

// input is one request field: its name, value and whether it was sent.
type input struct {
	name    string
	value   string
	present bool
}

// required is a field the request must carry.
func required(name, value string) input { return input{name: name, value: value, present: true} }

// optional is a field the request may leave out (nil).
func optional(name string, value *string) input {
	if value == nil {
		return input{name: name}
	}
	return input{name: name, value: *value, present: true}
}

// check applies the rules to the fields and returns one fault.Invalid
// naming every field at fault, or nil. A present field must satisfy its
// rule; a blank value is refused as required unless the rule allows "",
// and then only "" itself is allowed.
func check(fields ...input) error {
	var errs []fault.FieldError
	for _, f := range fields {
		if !f.present {
			continue
		}
		r, ok := rules[f.name]
		emptyOK := ok && r.allowEmpty
		switch {
		case f.value == "" && emptyOK:
		case strings.TrimSpace(f.value) == "" && !emptyOK:
			errs = append(errs, fault.FieldError{Field: f.name, Rule: "required", Message: "is required"})
		case ok && !r.valid(f.value):
			errs = append(errs, fault.FieldError{Field: f.name, Rule: r.name, Message: r.text})
		}
	}
	return formError(errs)
}

// formError is one fault.Invalid naming every field in errs, or nil when
// errs is empty.
func formError(errs []fault.FieldError) error {
	if len(errs) == 0 {
		return nil
	}
	return &fault.Error{Code: fault.Invalid, Reason: "account.invalid_form", Message: fieldsMessage(errs), Fields: errs}
}

// strongPassword is the document's ((?=.*\d)(?=.*[a-z])(?=.*[A-Z]).{8,20}),
// matched against the whole password (Go's regexp has no look-ahead).
func strongPassword(p string) bool {
	n := utf8.RuneCountInString(p)
	if n < 8 || n > 20 || strings.ContainsRune(p, '\n') {
		return false
	}
	var digit, lower, upper bool
	for _, c := range p {
		digit = digit || c >= '0' && c <= '9'
		lower = lower || c >= 'a' && c <= 'z'
		upper = upper || c >= 'A' && c <= 'Z'
	}
	return digit && lower && upper
}

// calendarDate reports whether s is a real date written YYYY-MM-DD.
func calendarDate(s string) bool {
	if len(s) != len("2006-01-02") || strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		return false
	}
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// fieldsMessage is the errorMessage of field errors: "<field>: <rule>",
// joined by "; " when several fields are at fault.
func fieldsMessage(errs []fault.FieldError) string {
	parts := make([]string, 0, len(errs))
	for _, e := range errs {
		parts = append(parts, e.Field+": "+trimFieldName(e.Field, e.Message))
	}
	return strings.Join(parts, "; ")
}

// trimFieldName drops a leading mention of the field from a use case's
// message ("first name must be at most 256 characters"), which the
// "<field>: " prefix already makes.
func trimFieldName(field, msg string) string {
	for _, name := range []string{field, strings.ReplaceAll(field, "_", " ")} {
		if rest, ok := strings.CutPrefix(msg, name+" "); ok {
			return rest
		}
	}
	return msg
}
