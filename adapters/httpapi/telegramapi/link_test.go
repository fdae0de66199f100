package telegramapi_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"gatehouse/adapters/httpapi"
	"gatehouse/adapters/httpapi/httpapitest"
	"gatehouse/adapters/httpapi/telegramapi"
	"gatehouse/core/identity"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// tokens verifies the access token "ann" as Ann's and refuses the rest.
type tokens struct{ ports.Sessions }

func (tokens) Verify(_ context.Context, token, _ string) (sessions.Claims, error) {
	if token != "ann" {
		return sessions.Claims{}, sessions.TokenInvalid(nil)
	}
	return sessions.Claims{Subject: "u-ann"}, nil
}

// links is Ann's account: unlinked until linked is set.
type links struct {
	ports.TelegramLinks
	linked bool
}

func (l *links) NewLinkToken(_ context.Context, userID string) (ports.TelegramLinkToken, error) {
	if l.linked {
		return ports.TelegramLinkToken{}, identity.TelegramLinked()
	}
	return ports.TelegramLinkToken{Token: "tok-" + userID, ExpiresAt: time.Date(2025, 3, 1, 12, 10, 0, 0, time.UTC)}, nil
}

func (l *links) Unlink(_ context.Context, userID string) (identity.User, error) {
	if !l.linked {
		return identity.User{}, identity.TelegramNotLinked()
	}
	l.linked = false
	return identity.User{ID: userID}, nil
}

func newFrontend(tb testing.TB, l *links) *httpapitest.Frontend {
	tb.Helper()
	api, err := telegramapi.New(telegramapi.Options{LinkURL: func(t string) string { return "https://t.me/gatehouse_bot?start=" + t }}, l, tokens{})
	if err != nil {
		tb.Fatal(err)
	}
	h, err := httpapi.NewRouter(httpapi.Options{}, httpapi.Deps{Mounts: []httpapi.Mounter{api}})
	if err != nil {
		tb.Fatal(err)
	}
	return httpapitest.NewFrontend(tb, h, "/openapi/telegram.json", "")
}

func TestLinkAPI(t *testing.T) {
	l := &links{}
	f := newFrontend(t, l)
	tests := []struct {
		name         string
		method       string
		header       http.Header
		linkedBefore bool
		status       int
		reason       string
	}{
		{"no token", http.MethodPost, nil, false, 401, "sessions.token_missing"},
		{"a bad token", http.MethodPost, httpapitest.Bearer("bob"), false, 401, sessions.ReasonTokenInvalid},
		{"a link", http.MethodPost, httpapitest.Bearer("ann"), false, 201, ""},
		{"a link when linked", http.MethodPost, httpapitest.Bearer("ann"), true, 409, identity.ReasonTelegramLinked},
		{"unlink", http.MethodDelete, httpapitest.Bearer("ann"), true, 204, ""},
		{"unlink when unlinked", http.MethodDelete, httpapitest.Bearer("ann"), false, 404, identity.ReasonTelegramNotLinked},
	}
	for _, tt := range tests {
		l.linked = tt.linkedBefore
		resp := f.Call(t, tt.method, "/telegram/link", nil, tt.header)
		if resp.Status != tt.status {
			t.Fatalf("%s: %d %s", tt.name, resp.Status, resp.Body)
		}
		if tt.reason != "" {
			var e struct {
				Error struct{ Reason string } `json:"error"`
			}
			resp.JSON(t, &e)
			if e.Error.Reason != tt.reason {
				t.Errorf("%s: reason %q, want %q", tt.name, e.Error.Reason, tt.reason)
			}
		}
		if tt.status == 201 {
			var ans struct{ URL string }
			resp.JSON(t, &ans)
			if ans.URL != "https://t.me/gatehouse_bot?start=tok-u-ann" || resp.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("answer %s, %v", resp.Body, resp.Header)
			}
		}
	}
	if _, resp := f.Serve(t, http.MethodPut, "/telegram/link", nil, httpapitest.Bearer("ann")); resp.Status != 405 {
		t.Errorf("PUT: %d", resp.Status)
	}
}
