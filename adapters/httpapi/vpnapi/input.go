package vpnapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
)

// field is one required field and its value, for required.
type field struct {
	name, value string
}

// required is Laravel's "required" rule: a fault.Invalid naming every
// missing or blank field in Laravel's words ("The device id field is
// required."), or nil.
func required(fields ...field) error {
	var missing []fault.FieldError
	for _, f := range fields {
		if strings.TrimSpace(f.value) == "" {
			missing = append(missing, fault.FieldError{Field: f.name, Rule: "required",
				Message: "The " + strings.ReplaceAll(f.name, "_", " ") + " field is required."})
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return &fault.Error{Code: fault.Invalid, Reason: "invalid.required", Message: missing[0].Message, Fields: missing}
}

// idField is one required id and its value, for requiredIDs.
type idField struct {
	name  string
	value flexID
}

// requiredIDs is required for ids: 0 or absent is missing.
func requiredIDs(fields ...idField) error {
	fs := make([]field, 0, len(fields))
	for _, f := range fields {
		v := ""
		if f.value > 0 {
			v = strconv.FormatInt(int64(f.value), 10)
		}
		fs = append(fs, field{f.name, v})
	}
	return required(fs...)
}

// decodeOptional reads a JSON body that may be absent: an empty body
// leaves dst as it is.
func decodeOptional(r *http.Request, dst any) error {
	if r.ContentLength == 0 {
		return nil
	}
	err := httpapi.DecodeJSON(r, dst)
	if fault.ReasonOf(err) == httpapi.ReasonEmptyBody {
		return nil
	}
	return err
}

// flexString is a JSON string that a client may also send as a number: the
// document's device ids are strings at login ("uuid-1-1-1", "12345") and
// integers elsewhere (6), and clients pass one where the other is shown.
type flexString string

// UnmarshalJSON implements json.Unmarshaler.
func (s *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*s = ""
		return nil
	case len(b) > 0 && b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = flexString(v)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return &json.UnmarshalTypeError{Value: kindOf(b), Type: reflect.TypeFor[string]()}
	}
	*s = flexString(n.String())
	return nil
}

// kindOf names the kind of a JSON value for a decoding error.
func kindOf(b []byte) string {
	switch {
	case len(b) == 0:
		return "nothing"
	case b[0] == '{':
		return "object"
	case b[0] == '[':
		return "array"
	case b[0] == 't' || b[0] == 'f':
		return "bool"
	case b[0] == '"':
		return "string"
	}
	return "number"
}

// flexID is a non-negative integer id that a client may also send as a
// decimal string ("12345", as login answers it).
type flexID int64

// UnmarshalJSON implements json.Unmarshaler.
func (id *flexID) UnmarshalJSON(b []byte) error {
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	if s == "" {
		*id = 0
		return nil
	}
	n, err := strconv.ParseInt(string(s), 10, 64)
	if err != nil || n < 0 {
		return &json.UnmarshalTypeError{Value: kindOf(bytes.TrimSpace(b)), Type: reflect.TypeFor[int64]()}
	}
	*id = flexID(n)
	return nil
}
