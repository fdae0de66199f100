package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"gatehouse/core/fault"
)

// Reasons of the faults DecodeJSON returns, so frontends can tell them apart.
const (
	ReasonBodyTooLarge = "http.body_too_large"
	ReasonMediaType    = "http.unsupported_media_type"
	ReasonEmptyBody    = "http.empty_body"
	ReasonMalformed    = "http.malformed_json"
	ReasonNotObject    = "http.not_an_object"
	ReasonTrailing     = "http.trailing_data"
)

// DecodeJSON reads one JSON value from the request body into dst.
//
// It accepts application/json, any application/*+json and a missing
// Content-Type (clients of the legacy contracts often omit it). Any other
// type is refused (reason http.unsupported_media_type, 415 by StatusOf):
// form-urlencoded, text/plain and multipart are what a page on another
// site can send without a CORS preflight, so accepting them would let it
// forge JSON requests. It refuses an empty body,
// malformed JSON, a value of the wrong type (naming the field), data after
// the value and a body over the limit the middleware set. Unknown fields are
// ignored: clients of these contracts send extras. Every refusal is a
// fault.Invalid with a message fit for the caller.
func DecodeJSON(r *http.Request, dst any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !isJSONMediaType(ct) {
		return fault.New(fault.Invalid, ReasonMediaType, "Content-Type must be application/json.")
	}
	if r.Body == nil {
		return fault.New(fault.Invalid, ReasonEmptyBody, "Request body is empty; a JSON object is expected.")
	}
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(dst); err != nil {
		return decodeFault(err)
	}
	// A second value, or garbage, after the first is an error; only
	// whitespace may follow.
	var extra json.RawMessage
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
		return nil
	case err == nil:
		return fault.New(fault.Invalid, ReasonTrailing, "Request body must hold one JSON value only.")
	default:
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return decodeFault(err)
		}
		return fault.New(fault.Invalid, ReasonTrailing, "Request body must hold one JSON value only.")
	}
}

// decodeFault classifies an error of json.Decoder.Decode.
func decodeFault(err error) error {
	var (
		syntax    *json.SyntaxError
		typ       *json.UnmarshalTypeError
		tooLarge  *http.MaxBytesError
		unmarshal *json.InvalidUnmarshalError
	)
	switch {
	case errors.As(err, &tooLarge):
		return fault.New(fault.Invalid, ReasonBodyTooLarge,
			fmt.Sprintf("Request body is larger than %d bytes.", tooLarge.Limit))
	case errors.Is(err, io.EOF):
		return fault.New(fault.Invalid, ReasonEmptyBody, "Request body is empty; a JSON object is expected.")
	case errors.As(err, &syntax):
		return fault.New(fault.Invalid, ReasonMalformed,
			fmt.Sprintf("Request body is not valid JSON (at byte %d).", syntax.Offset))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fault.New(fault.Invalid, ReasonMalformed, "Request body is not valid JSON (it ends too early).")
	case errors.As(err, &typ):
		if typ.Field == "" {
			return fault.New(fault.Invalid, ReasonNotObject,
				fmt.Sprintf("Request body must be a JSON %s, not %s.", jsonKind(typ.Type.Kind().String()), typ.Value))
		}
		return fault.Invalidf(typ.Field, "type", "Field %q must be %s, not %s.",
			typ.Field, article(jsonKind(typ.Type.Kind().String())), typ.Value)
	case errors.As(err, &unmarshal):
		return fault.Wrap(err, fault.Internal, "http.decode_target", "Internal error.")
	default:
		return fault.Wrap(err, fault.Invalid, ReasonMalformed, "Request body could not be read.")
	}
}

// jsonKind names a Go kind the way a JSON client thinks of it.
func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "array"
	case "struct", "map":
		return "object"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "integer"
	case "float32", "float64":
		return "number"
	default:
		return goKind
	}
}

func article(kind string) string {
	switch kind {
	case "array", "object", "integer":
		return "an " + kind
	default:
		return "a " + kind
	}
}

// isJSONMediaType accepts application/json and any application/*+json.
func isJSONMediaType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")
}

// WriteJSON answers v as JSON with status. v is encoded before anything is
// written, so an unencodable value becomes a clean 500 instead of half a body.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":{"code":"internal","message":"Internal error."}}` + "\n")
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
