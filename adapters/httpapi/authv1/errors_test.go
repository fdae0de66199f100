package authv1

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
)

func TestFail(t *testing.T) {
	tests := []struct {
		err    error
		status int
		code   string
	}{
		{fault.Invalidf("login", "required", "login is required."), http.StatusBadRequest, "invalid"},
		{fault.New(fault.Invalid, httpapi.ReasonBodyTooLarge, "too big"), http.StatusRequestEntityTooLarge, "invalid"},
		{fault.New(fault.Invalid, httpapi.ReasonMediaType, "not json"), http.StatusUnsupportedMediaType, "invalid"},
		{fault.New(fault.Unauthenticated, "identity.bad_credentials", "Wrong login or password."), http.StatusUnauthorized, "unauthenticated"},
		{fault.New(fault.Forbidden, "identity.blocked", "This account is blocked."), http.StatusForbidden, "forbidden"},
		{fault.New(fault.NotFound, "identity.user_not_found", "No such user."), http.StatusNotFound, "not_found"},
		{fault.New(fault.Conflict, "identity.email_taken", "Taken."), http.StatusConflict, "conflict"},
		{fault.New(fault.RateLimited, "identity.too_many", "Slow down."), http.StatusTooManyRequests, "rate_limited"},
		{fault.New(fault.Unavailable, "store.down", "Try again."), http.StatusServiceUnavailable, "unavailable"},
		{errors.New("mongo: auth failed for hunter2"), http.StatusInternalServerError, "internal"},
		{fault.Wrap(errors.New("hunter2"), fault.Internal, "x.y", "leaky detail"), http.StatusInternalServerError, "internal"},
	}
	for _, tt := range tests {
		t.Run(tt.code+" "+fault.ReasonOf(tt.err), func(t *testing.T) {
			rec := httptest.NewRecorder()
			errs.Write(rec, httptest.NewRequest(http.MethodGet, "/", nil), tt.err)
			if rec.Code != tt.status || !strings.Contains(rec.Body.String(), `"code":"`+tt.code+`"`) {
				t.Fatalf("fail = %d %s, want %d %s", rec.Code, rec.Body, tt.status, tt.code)
			}
			if tt.status == http.StatusInternalServerError &&
				(strings.Contains(rec.Body.String(), "hunter2") || !strings.Contains(rec.Body.String(), `"message":"Internal error."`)) {
				t.Fatalf("internal error body = %s", rec.Body)
			}
		})
	}
}

func TestRenameField(t *testing.T) {
	// What the identity use case returns for a bad email-shaped login: the
	// same failure on "login" and on "email", which is one field here.
	both := &fault.Error{Code: fault.Invalid, Reason: "invalid.registration",
		Message: "login must have a domain; email must have a domain",
		Fields: []fault.FieldError{
			{Field: "login", Rule: "format", Message: "login must have a domain"},
			{Field: "email", Rule: "format", Message: "email must have a domain"},
		}}
	fe, _ := fault.As(httpapi.RenameField(both, "email", "login"))
	if len(fe.Fields) != 1 || fe.Fields[0].Field != "login" || fe.Message != "login must have a domain" {
		t.Fatalf("renamed = %+v", fe)
	}
	if both.Fields[1].Field != "email" {
		t.Fatal("renameField changed its argument")
	}

	other := fault.Invalidf("password", "min_length", "password is too short")
	if got := httpapi.RenameField(other, "email", "login"); got != error(other) {
		t.Fatalf("an error without the field changed: %v", got)
	}
}

func TestRetryAfter(t *testing.T) {
	limited := func(d time.Duration) error {
		return &fault.Error{Code: fault.RateLimited, Reason: "identity.throttled", Message: "Slow down.", RetryAfter: d}
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"whole seconds", limited(30 * time.Second), "30"},
		{"rounded up", limited(1500 * time.Millisecond), "2"},
		{"under a second", limited(time.Millisecond), "1"},
		{"wrapped", fmt.Errorf("identitysvc: %w", limited(time.Minute)), "60"},
		{"unknown wait", limited(0), ""},
		{"busy", &fault.Error{Code: fault.Unavailable, Reason: "passhash.busy", Message: "Busy.", RetryAfter: 2 * time.Second}, "2"},
		{"not a fault", errors.New("boom"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The frontend's own writer and the base's generic one agree.
			for writer, write := range map[string]func(http.ResponseWriter, *http.Request, error){
				"errs.Write": errs.Write, "httpapi.WriteError": httpapi.WriteError,
			} {
				rec := httptest.NewRecorder()
				write(rec, httptest.NewRequest(http.MethodGet, "/", nil), tt.err)
				if got := rec.Header().Get("Retry-After"); got != tt.want {
					t.Errorf("%s: Retry-After = %q, want %q", writer, got, tt.want)
				}
			}
		})
	}
}
