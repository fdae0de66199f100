package account

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
)

func TestFail(t *testing.T) {
	throttled := fault.New(fault.RateLimited, "identity.throttled", "Too many attempts.")
	throttled.RetryAfter = 1500 * time.Millisecond
	busy := fault.New(fault.Unavailable, "passhash.busy", "The server is busy.")
	busy.RetryAfter = 2 * time.Second
	tests := []struct {
		name       string
		err        error
		status     int
		message    string
		retryAfter string
	}{
		{"form error", check(required("login", "A")), http.StatusBadRequest, "login: must match [a-z0-9_]{4,32}", ""},
		{"core field error", fault.Invalidf("first_name", "max_length", "first name must be at most 256 characters"),
			http.StatusBadRequest, "first_name: must be at most 256 characters", ""},
		{"body too large", fault.New(fault.Invalid, httpapi.ReasonBodyTooLarge, "Request body is larger than 1 bytes."),
			http.StatusBadRequest, "Request body is larger than 1 bytes.", ""},
		{"bad credentials", fault.New(fault.Unauthenticated, "identity.bad_credentials", "Wrong login or password."),
			http.StatusForbidden, "Wrong login or password.", ""},
		{"blocked", fault.New(fault.Forbidden, "identity.blocked", "This account is blocked."),
			http.StatusForbidden, "This account is blocked.", ""},
		{"login taken", fault.New(fault.Conflict, "identity.login_taken", "This login is already taken."),
			http.StatusForbidden, "login: is already taken", ""},
		{"email taken", fault.New(fault.Conflict, "identity.email_taken", "This email is already taken."),
			http.StatusForbidden, "email: is already registered", ""},
		{"not found", fault.New(fault.NotFound, "identity.user_not_found", "No such user."),
			http.StatusNotFound, "No such user.", ""},
		{"throttled", throttled, http.StatusTooManyRequests, "Too many attempts.", "2"},
		{"throttled without a delay", fault.New(fault.RateLimited, "x", "Slow down."), http.StatusTooManyRequests, "Slow down.", ""},
		{"unavailable", fault.New(fault.Unavailable, "store.down", "Try again."), http.StatusServiceUnavailable, "Try again.", ""},
		{"busy", busy, http.StatusServiceUnavailable, "The server is busy.", "2"},
		{"unclassified", errors.New("mongo: auth failed for hunter2"), http.StatusInternalServerError, "Internal error.", ""},
		{"internal", fault.Wrap(errors.New("hunter2"), fault.Internal, "x.y", "leaky detail"),
			http.StatusInternalServerError, "Internal error.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			errs.Write(rec, httptest.NewRequest(http.MethodGet, "/", nil), tt.err)
			var body map[string]string
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if rec.Code != tt.status || body["errorMessage"] != tt.message || len(body) != 1 {
				t.Fatalf("fail = %d %s, want %d %q", rec.Code, rec.Body, tt.status, tt.message)
			}
			if got := rec.Header().Get("Retry-After"); got != tt.retryAfter {
				t.Fatalf("Retry-After = %q, want %q", got, tt.retryAfter)
			}
			if strings.Contains(rec.Body.String(), "hunter2") {
				t.Fatalf("a cause leaked: %s", rec.Body)
			}
		})
	}
}
