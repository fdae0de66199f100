package httpapi_test

import (
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
)

type signup struct {
	Login    string `json:"login"`
	Age      int    `json:"age"`
	Consent  bool   `json:"consent"`
	Settings struct {
		Locale string `json:"locale"`
	} `json:"settings"`
}

func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		body        string
		reason      string // "" means success
		field       string
		message     string // a part of the message
	}{
		{"valid", "application/json", `{"login":"a@b.c","age":3}`, "", "", ""},
		{"charset", "application/json; charset=utf-8", `{"login":"a"}`, "", "", ""},
		{"problem+json", "application/merge-patch+json", `{"login":"a"}`, "", "", ""},
		{"no content type", "", `{"login":"a"}`, "", "", ""},
		{"unknown fields ignored", "", `{"login":"a","extra":{"x":[1,2]}}`, "", "", ""},
		{"trailing whitespace", "", "{\"login\":\"a\"}\n\t ", "", "", ""},
		// What a cross-site form or a no-cors fetch can send without a preflight.
		{"form content type, JSON body", "application/x-www-form-urlencoded", `{"login":"a"}`, httpapi.ReasonMediaType, "", "Content-Type"},
		{"text/plain, JSON body", "text/plain", `{"login":"a"}`, httpapi.ReasonMediaType, "", "Content-Type"},
		{"form body", "application/x-www-form-urlencoded", `login=a`, httpapi.ReasonMediaType, "", "Content-Type"},
		{"json lookalike", "application/jsonx", `{"login":"a"}`, httpapi.ReasonMediaType, "", "Content-Type"},
		{"multipart", "multipart/form-data; boundary=x", `{"login":"a"}`, httpapi.ReasonMediaType, "", "Content-Type"},
		{"empty", "", ``, httpapi.ReasonEmptyBody, "", "empty"},
		{"blank", "", "  \n", httpapi.ReasonEmptyBody, "", "empty"},
		{"malformed", "", `{"login":}`, httpapi.ReasonMalformed, "", "not valid JSON"},
		{"truncated", "", `{"login":"a"`, httpapi.ReasonMalformed, "", "not valid JSON"},
		{"number for string", "", `{"login":42}`, "invalid.login", "login", `"login" must be a string, not number`},
		{"string for int", "", `{"age":"3"}`, "invalid.age", "age", `"age" must be an integer, not string`},
		{"string for bool", "", `{"consent":"yes"}`, "invalid.consent", "consent", `"consent" must be a boolean`},
		{"nested", "", `{"settings":{"locale":1}}`, "invalid.settings.locale", "settings.locale", `"settings.locale" must be a string`},
		{"array body", "", `[1,2]`, httpapi.ReasonNotObject, "", "must be a JSON object"},
		{"second value", "", `{"login":"a"}{"login":"b"}`, httpapi.ReasonTrailing, "", "one JSON value"},
		{"garbage after", "", `{"login":"a"} x`, httpapi.ReasonTrailing, "", "one JSON value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tt.body))
			if tt.contentType != "" {
				r.Header.Set("Content-Type", tt.contentType)
			}
			var dst signup
			err := httpapi.DecodeJSON(r, &dst)
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("DecodeJSON: %v", err)
				}
				return
			}
			fe, ok := fault.As(err)
			if !ok || fe.Code != fault.Invalid || fe.Reason != tt.reason {
				t.Fatalf("err = %v, want invalid %s", err, tt.reason)
			}
			if !strings.Contains(fe.Message, tt.message) {
				t.Errorf("message %q lacks %q", fe.Message, tt.message)
			}
			if tt.field != "" && (len(fe.Fields) != 1 || fe.Fields[0].Field != tt.field) {
				t.Errorf("fields = %+v, want %s", fe.Fields, tt.field)
			}
		})
	}
}

func TestDecodeJSONTooLarge(t *testing.T) {
	for _, body := range []string{`{"login":"` + strings.Repeat("x", 100) + `"}`, `{"login":"a"}` + strings.Repeat(" ", 100)} {
		w := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.Body = http.MaxBytesReader(w, r.Body, 20)
		err := httpapi.DecodeJSON(r, &signup{})
		if fault.ReasonOf(err) != httpapi.ReasonBodyTooLarge || httpapi.StatusOf(err) != http.StatusRequestEntityTooLarge {
			t.Fatalf("err = %v, want body too large", err)
		}
	}
}

func TestWriteJSON(t *testing.T) {
	rec := httptest.NewRecorder()
	httpapi.WriteJSON(rec, http.StatusCreated, map[string]string{"id": "u1"})
	if rec.Code != http.StatusCreated || rec.Header().Get("Content-Type") != "application/json" ||
		strings.TrimSpace(rec.Body.String()) != `{"id":"u1"}` {
		t.Fatalf("WriteJSON = %d %q %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}

	rec = httptest.NewRecorder()
	httpapi.WriteJSON(rec, http.StatusOK, map[string]float64{"x": math.NaN()})
	if rec.Code != http.StatusInternalServerError || errorBody(t, rec).Code != "internal" {
		t.Fatalf("unencodable value = %d %s, want 500", rec.Code, rec.Body)
	}
}

func TestStatusOfAndErrorBody(t *testing.T) {
	tests := []struct {
		err    error
		status int
	}{
		{fault.Invalidf("login", "required", "login is required."), http.StatusBadRequest},
		{fault.New(fault.Unauthenticated, "x", "no"), http.StatusUnauthorized},
		{fault.New(fault.Forbidden, "x", "no"), http.StatusForbidden},
		{fault.New(fault.NotFound, "x", "no"), http.StatusNotFound},
		{fault.New(fault.Conflict, "x", "no"), http.StatusConflict},
		{fault.New(fault.RateLimited, "x", "no"), http.StatusTooManyRequests},
		{fault.New(fault.Unavailable, "x", "no"), http.StatusServiceUnavailable},
		{fault.New(fault.Invalid, httpapi.ReasonMediaType, "no"), http.StatusUnsupportedMediaType},
		{errors.New("db password hunter2 rejected"), http.StatusInternalServerError},
	}
	for _, tt := range tests {
		if got := httpapi.StatusOf(tt.err); got != tt.status {
			t.Errorf("StatusOf(%v) = %d, want %d", tt.err, got, tt.status)
		}
	}
	body := httpapi.NewErrorBody(fault.Wrap(errors.New("hunter2"), fault.Internal, "db.down", "db is down"))
	if body.Error.Message != "Internal error." || body.Error.Reason != "" {
		t.Fatalf("internal body = %+v", body)
	}
	body = httpapi.NewErrorBody(fault.Invalidf("login", "required", "login is required."))
	if len(body.Error.Fields) != 1 || body.Error.Fields[0] != (httpapi.FieldDetail{Field: "login", Rule: "required", Message: "login is required."}) {
		t.Fatalf("invalid body = %+v", body)
	}
}
