package shortener

import (
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
	limited := fault.New(fault.RateLimited, "identity.throttled", "Slow down.")
	limited.RetryAfter = 1500 * time.Millisecond
	busy := fault.New(fault.Unavailable, "passhash.busy", "Busy.")
	busy.RetryAfter = 2 * time.Second
	tests := []struct {
		err        error
		status     int
		code       string
		retryAfter string
	}{
		{fault.Invalidf("url", "required", "url is required."), http.StatusBadRequest, "invalid", ""},
		{fault.New(fault.Invalid, httpapi.ReasonBodyTooLarge, "too big"), http.StatusRequestEntityTooLarge, "invalid", ""},
		{fault.New(fault.Invalid, httpapi.ReasonMediaType, "not json"), http.StatusUnsupportedMediaType, "invalid", ""},
		{fault.New(fault.Unauthenticated, "identity.bad_credentials", "Wrong login or password."), http.StatusUnauthorized, "unauthenticated", ""},
		{fault.New(fault.Forbidden, "links.not_owner", "Not yours."), http.StatusForbidden, "forbidden", ""},
		{fault.New(fault.NotFound, "links.not_found", "No such link."), http.StatusNotFound, "not_found", ""},
		{fault.New(fault.Gone, "links.gone", "Gone."), http.StatusGone, "gone", ""},
		{fault.New(fault.Conflict, "links.alias_taken", "Taken."), http.StatusConflict, "conflict", ""},
		{limited, http.StatusTooManyRequests, "rate_limited", "2"},
		{fault.New(fault.RateLimited, "identity.throttled", "Slow down."), http.StatusTooManyRequests, "rate_limited", ""},
		{fault.New(fault.Unavailable, "store.down", "Try again."), http.StatusServiceUnavailable, "unavailable", ""},
		{busy, http.StatusServiceUnavailable, "unavailable", "2"},
		{errors.New("mongo: auth failed for hunter2"), http.StatusInternalServerError, "internal", ""},
		{fault.Wrap(errors.New("hunter2"), fault.Internal, "x.y", "leaky detail"), http.StatusInternalServerError, "internal", ""},
	}
	for _, tt := range tests {
		t.Run(tt.code+" "+fault.ReasonOf(tt.err), func(t *testing.T) {
			rec := httptest.NewRecorder()
			errs.Write(rec, httptest.NewRequest(http.MethodGet, "/", nil), tt.err)
			if rec.Code != tt.status || !strings.Contains(rec.Body.String(), `"code":"`+tt.code+`"`) {
				t.Fatalf("fail = %d %s, want %d %s", rec.Code, rec.Body, tt.status, tt.code)
			}
			if got := rec.Header().Get("Retry-After"); got != tt.retryAfter {
				t.Errorf("Retry-After = %q, want %q", got, tt.retryAfter)
			}
			if tt.status == http.StatusInternalServerError &&
				(strings.Contains(rec.Body.String(), "hunter2") || !strings.Contains(rec.Body.String(), `"message":"Internal error."`)) {
				t.Fatalf("internal error body = %s", rec.Body)
			}
		})
	}
}

func TestContractFaults(t *testing.T) {
	refused := fault.New(fault.Unauthenticated, "sessions.refresh_invalid", "Refresh token is invalid.")
	gone := fault.New(fault.NotFound, "identity.user_not_found", "No such user.")
	down := fault.New(fault.Unavailable, "store.down", "Try again.")
	tests := []struct {
		name    string
		err     error
		status  int
		reason  string
		message string
	}{
		{"refused refresh", refreshRefused(refused), http.StatusForbidden, "sessions.refresh_invalid", "Invalid refresh token."},
		{"refresh, store down", refreshRefused(down), http.StatusServiceUnavailable, "store.down", "Try again."},
		{"account gone", accountGone(gone), http.StatusBadRequest, "identity.user_not_found", "User not found in database."},
		{"delete, store down", accountGone(down), http.StatusServiceUnavailable, "store.down", "Try again."},
		{"email taken", registerFault(fault.New(fault.Conflict, "identity.email_taken", "x")), http.StatusConflict, "identity.email_taken", "User with this email already exists."},
		{"login taken", registerFault(fault.New(fault.Conflict, "identity.login_taken", "x")), http.StatusConflict, "identity.login_taken", "User with this username already exists."},
		{"bad login", registerFault(fault.Invalidf("login", "format", "login must be 3 to 32 characters")), http.StatusBadRequest, "invalid.login", "username must be 3 to 32 characters"},
		{"alias taken", linkFault(fault.New(fault.Conflict, "links.alias_taken", "x")), http.StatusConflict, "links.alias_taken", "URL with this alias already exists."},
		{"not owner", linkFault(fault.New(fault.Forbidden, "links.not_owner", "x")), http.StatusForbidden, "links.not_owner", "Forbidden. You are not owner of this URL."},
		{"expired link", redirectFault(fault.New(fault.Gone, "links.gone", "x")), http.StatusGone, "links.gone", "This short link is gone: it has expired or reached its visit limit."},
		{"unknown alias", redirectFault(fault.New(fault.NotFound, "links.not_found", "x")), http.StatusNotFound, "links.not_found", "No such short link."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := httpapi.StatusOf(tt.err); got != tt.status {
				t.Errorf("status = %d, want %d", got, tt.status)
			}
			if fault.ReasonOf(tt.err) != tt.reason || fault.MessageOf(tt.err) != tt.message {
				t.Errorf("= %q %q, want %q %q", fault.ReasonOf(tt.err), fault.MessageOf(tt.err), tt.reason, tt.message)
			}
		})
	}
}

func TestRenameField(t *testing.T) {
	both := &fault.Error{Code: fault.Invalid, Reason: "invalid.registration",
		Message: "login is too short; password is too short",
		Fields: []fault.FieldError{
			{Field: "login", Rule: "min_length", Message: "login is too short"},
			{Field: "password", Rule: "min_length", Message: "password is too short"},
		}}
	fe, _ := fault.As(httpapi.RenameField(both, "login", "username"))
	if len(fe.Fields) != 2 || fe.Fields[0].Field != "username" || fe.Message != "username is too short; password is too short" {
		t.Fatalf("renamed = %+v", fe)
	}
	if both.Fields[0].Field != "login" {
		t.Fatal("renameField changed its argument")
	}
	other := fault.Invalidf("password", "min_length", "password is too short")
	if got := httpapi.RenameField(other, "login", "username"); got != error(other) {
		t.Fatalf("an error without the field changed: %v", got)
	}
}
