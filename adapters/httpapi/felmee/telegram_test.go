package felmee_test

import (
	"context"
	"net/http"
	"testing"

	"gatehouse/adapters/httpapi/felmee"
	"gatehouse/core/identity"
)

// telegramSignIn signs in the data whose hash is "good" as account u-tg.
type telegramSignIn struct{ fields map[string]string }

func (s *telegramSignIn) SignInWidget(_ context.Context, fields map[string]string) (identity.User, error) {
	s.fields = fields
	if fields["hash"] != "good" {
		return identity.User{}, identity.TelegramAuthInvalid()
	}
	return identity.User{ID: "u-tg"}, nil
}

func (s *telegramSignIn) SignInWebApp(_ context.Context, initData string) (identity.User, error) {
	if initData != "user=%7B%22id%22%3A1%7D&hash=good" {
		return identity.User{}, identity.TelegramAuthExpired()
	}
	return identity.User{ID: "u-tg"}, nil
}

func TestTelegramSignIn(t *testing.T) {
	tg := &telegramSignIn{}
	e := newEnv(t, felmee.Options{Telegram: tg, InsecureCookies: true})
	tests := []struct {
		name, path string
		body       any
		status     int
		codeError  string
	}{
		{"widget", "/api/auth/telegram/login", map[string]any{"id": 279058397, "first_name": "Ann", "auth_date": 1700000000, "hash": "good"}, 200, ""},
		{"widget, bad hash", "/api/auth/telegram/login", map[string]any{"id": 1, "auth_date": 1700000000, "hash": "bad"}, 401, "unauthorized"},
		{"widget, no hash", "/api/auth/telegram/login", map[string]any{"id": 1}, 400, "validation"},
		{"widget, an object field", "/api/auth/telegram/login", map[string]any{"id": map[string]any{}, "hash": "good"}, 400, "validation"},
		{"mini app", "/api/auth/telegram/webapp", map[string]any{"initData": "user=%7B%22id%22%3A1%7D&hash=good"}, 200, ""},
		{"mini app, old data", "/api/auth/telegram/webapp", map[string]any{"initData": "user=x&hash=old"}, 401, "unauthorized"},
		{"mini app, nothing", "/api/auth/telegram/webapp", map[string]any{}, 400, "validation"},
	}
	for _, tt := range tests {
		resp := e.call(t, http.MethodPost, tt.path, tt.body, nil)
		env := want(t, resp, tt.status, "", tt.codeError)
		if tt.status != 200 {
			continue
		}
		if env.Data["JWT"] == "" || env.Data["RT"] == "" {
			t.Fatalf("%s: data %v", tt.name, env.Data)
		}
		cookies := map[string]bool{}
		for _, c := range (&http.Response{Header: resp.Header}).Cookies() {
			cookies[c.Name] = c.HttpOnly && c.Value != ""
		}
		if !cookies["JWT"] || !cookies["RT"] {
			t.Fatalf("%s: cookies %v", tt.name, resp.Header["Set-Cookie"])
		}
	}
	// The numbers reach the check in the spelling Telegram signed.
	e.call(t, http.MethodPost, "/api/auth/telegram/login", `{"id":279058397,"auth_date":1700000000,"hash":"good","username":"ann"}`, nil)
	if tg.fields["id"] != "279058397" || tg.fields["auth_date"] != "1700000000" || tg.fields["username"] != "ann" {
		t.Fatalf("fields %v", tg.fields)
	}
}

func TestTelegramSignInIsOffWithoutABot(t *testing.T) {
	e := newEnv(t, felmee.Options{})
	_, resp := e.Serve(t, http.MethodPost, "/api/auth/telegram/login", map[string]any{"hash": "good"}, nil)
	if resp.Status != http.StatusNotFound {
		t.Fatalf("without a bot: %d", resp.Status)
	}
}
