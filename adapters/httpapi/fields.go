package httpapi

import (
	"net/http"
	"strings"

	"gatehouse/core/fault"
)

// Field is one required request field and its value, for Require.
type Field struct {
	Name, Value string
}

// Require returns a fault.Invalid (reason invalid.required) naming every
// field that is missing or blank, or nil when all are present. Frontends
// call it after decoding, so one message says everything that is missing.
func Require(fields ...Field) error {
	var missing []fault.FieldError
	var names []string
	for _, f := range fields {
		if strings.TrimSpace(f.Value) == "" {
			missing = append(missing, fault.FieldError{Field: f.Name, Rule: "required", Message: f.Name + " is required."})
			names = append(names, f.Name)
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

// RenameField returns err with field `from` called `to`, for use cases whose
// field names differ from a frontend's contract. Fields that become
// duplicates are merged, and the message is rebuilt from what remains; err
// itself is never changed.
func RenameField(err error, from, to string) error {
	fe, ok := fault.As(err)
	if !ok || len(fe.Fields) == 0 {
		return err
	}
	out := *fe
	out.Fields = nil
	seen := map[fault.FieldError]bool{}
	msgs := make([]string, 0, len(fe.Fields))
	renamed := false
	for _, f := range fe.Fields {
		if f.Field == from {
			f.Field = to
			f.Message = strings.Replace(f.Message, from, to, 1)
			renamed = true
		}
		if seen[f] {
			continue
		}
		seen[f] = true
		out.Fields = append(out.Fields, f)
		msgs = append(msgs, f.Message)
	}
	if !renamed {
		return err
	}
	out.Message = strings.Join(msgs, "; ")
	return &out
}

// AuthorizationToken returns the token of the Authorization header, bare
// or after "Bearer " (any case), for contracts whose documents send the
// token without a scheme while most HTTP clients add one; "" when absent.
func AuthorizationToken(r *http.Request) string {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if scheme, rest, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") {
		return strings.TrimSpace(rest)
	}
	return h
}

// BearerToken returns the token of an "Authorization: Bearer <token>"
// header; the scheme is case-insensitive (RFC 9110).
func BearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}
