package httpapitest

import (
	"strings"
	"testing"
)

// ErrorBody is the generic error shape, decoded by the tests' own type so a
// wrong tag in httpapi.ErrorBody cannot hide itself.
type ErrorBody struct {
	Error struct {
		Code    string `json:"code"`
		Reason  string `json:"reason"`
		Message string `json:"message"`
		Fields  []struct {
			Field, Rule, Message string
		} `json:"fields"`
	} `json:"error"`
}

// ErrorOf decodes an error body in the generic shape; it fails the test
// when the body has no code or message.
func ErrorOf(tb testing.TB, r Response) ErrorBody {
	tb.Helper()
	var e ErrorBody
	r.JSON(tb, &e)
	if e.Error.Code == "" || e.Error.Message == "" {
		tb.Fatalf("not an error body: %s", r.Body)
	}
	return e
}

// FieldsOf lists the fields an error names, joined by commas.
func FieldsOf(e ErrorBody) string {
	var names []string
	for _, f := range e.Error.Fields {
		names = append(names, f.Field)
	}
	return strings.Join(names, ",")
}
