package shortener_test

import (
	"bytes"
	"gatehouse/adapters/httpapi/httpapitest"
	"net/http"
	"strconv"
	"testing"

	"gatehouse/adapters/httpapi/shortener"
)

func TestRegister(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	ex := e.Example(t, http.MethodPost, "/auth/register")

	r := e.Call(t, http.MethodPost, "/auth/register", ex, nil)
	var u user
	r.JSON(t, &u)
	if r.Status != http.StatusCreated || u.ID == "" || u.Username != ex["username"] || u.Email != ex["email"] || u.TelegramID != "" {
		t.Fatalf("register = %d %s", r.Status, r.Body)
	}

	tests := []struct {
		name   string
		body   any
		status int
		fields string
		reason string
	}{
		{"email taken", httpapitest.With(ex, "username", "bob"), http.StatusConflict, "", "identity.email_taken"},
		{"username taken", httpapitest.With(ex, "email", "bob@example.com"), http.StatusConflict, "", "identity.login_taken"},
		{"username taken in another case", httpapitest.With(ex, "email", "bob@example.com", "username", "ALICE"), http.StatusConflict, "", "identity.login_taken"},
		{"no email", httpapitest.With(ex, "email", nil, "username", "bob"), http.StatusBadRequest, "email", "invalid.required"},
		{"nothing", `{}`, http.StatusBadRequest, "email,username,password", "invalid.required"},
		{"blank password", httpapitest.With(ex, "email", "bob@example.com", "username", "bob", "password", "  "), http.StatusBadRequest, "password", "invalid.required"},
		{"short password", httpapitest.With(ex, "email", "bob@example.com", "username", "bob", "password", "short"), http.StatusBadRequest, "password", ""},
		{"bad email", httpapitest.With(ex, "email", "bob-at-example", "username", "bob"), http.StatusBadRequest, "email", ""},
		{"username is a number", httpapitest.With(ex, "email", "bob@example.com", "username", 7), http.StatusBadRequest, "username", ""},
		{"malformed", `{"email"`, http.StatusBadRequest, "", "http.malformed_json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.Call(t, http.MethodPost, "/auth/register", tt.body, nil)
			got := httpapitest.ErrorOf(t, r)
			if r.Status != tt.status || httpapitest.FieldsOf(got) != tt.fields || (tt.reason != "" && got.Error.Reason != tt.reason) {
				t.Fatalf("= %d %s, want %d naming %q (%s)", r.Status, r.Body, tt.status, tt.fields, tt.reason)
			}
		})
	}
}

func TestLogin(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	signUp(t, e, "alice")
	ex := e.Example(t, http.MethodPost, "/auth/login")

	r := e.Call(t, http.MethodPost, "/auth/login", ex, nil)
	var pair tokens
	r.JSON(t, &pair)
	if r.Status != http.StatusOK || pair.AccessToken == "" || pair.RefreshToken == "" {
		t.Fatalf("login = %d %s", r.Status, r.Body)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", cc)
	}
	c := cookieOf(r)
	if c == nil || c.Value != pair.RefreshToken || !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteStrictMode ||
		c.Path != "/auth" || c.MaxAge != 30*24*60*60 {
		t.Fatalf("refresh cookie = %+v, want the refresh token, HttpOnly, Secure, SameSite=Strict, Path=/auth, 30 days", c)
	}
	if r := e.Call(t, http.MethodPost, "/auth/login", httpapitest.With(ex, "email", "alice"), nil); r.Status != http.StatusOK {
		t.Errorf("login by username = %d %s", r.Status, r.Body)
	}

	wrong := e.Call(t, http.MethodPost, "/auth/login", httpapitest.With(ex, "password", "not the password at all"), nil)
	unknown := e.Call(t, http.MethodPost, "/auth/login", httpapitest.With(ex, "email", "nobody@example.com"), nil)
	for name, r := range map[string]response{"wrong password": wrong, "unknown user": unknown} {
		if r.Status != http.StatusUnauthorized || httpapitest.ErrorOf(t, r).Error.Code != "unauthenticated" || cookieOf(r) != nil {
			t.Errorf("%s = %d %s, want 401 and no cookie", name, r.Status, r.Body)
		}
	}
	if !bytes.Equal(wrong.Body, unknown.Body) {
		t.Errorf("an unknown user is told apart from a wrong password:\n%s\n%s", wrong.Body, unknown.Body)
	}

	tests := []struct {
		name   string
		body   any
		fields string
	}{
		{"no email", httpapitest.With(ex, "email", nil), "email"},
		{"no password", httpapitest.With(ex, "password", ""), "password"},
		{"password is a number", httpapitest.With(ex, "password", 12345678), "password"},
		{"array", `[]`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.Call(t, http.MethodPost, "/auth/login", tt.body, nil)
			if r.Status != http.StatusBadRequest || httpapitest.FieldsOf(httpapitest.ErrorOf(t, r)) != tt.fields {
				t.Fatalf("= %d %s, want 400 naming %q", r.Status, r.Body, tt.fields)
			}
		})
	}
}

func TestInsecureCookies(t *testing.T) {
	e := newEnv(t, shortener.Options{InsecureCookies: true, Prefix: "/api"})
	reg := e.Example(t, http.MethodPost, "/api/auth/register")
	if r := e.Call(t, http.MethodPost, "/api/auth/register", reg, nil); r.Status != http.StatusCreated {
		t.Fatalf("register = %d %s", r.Status, r.Body)
	}
	r := e.Call(t, http.MethodPost, "/api/auth/login", e.Example(t, http.MethodPost, "/api/auth/login"), nil)
	c := cookieOf(r)
	if r.Status != http.StatusOK || c == nil || c.Secure || !c.HttpOnly || c.Path != "/api/auth" {
		t.Fatalf("login = %d, cookie %+v; want HttpOnly without Secure on /api/auth", r.Status, c)
	}
}

func TestRefresh(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	_, first := signUp(t, e, "alice")

	r := e.Call(t, http.MethodPost, "/auth/refresh", map[string]string{"token": first.RefreshToken}, nil)
	var second tokens
	r.JSON(t, &second)
	if r.Status != http.StatusOK || second.RefreshToken == first.RefreshToken || second.AccessToken == "" {
		t.Fatalf("refresh = %d %s", r.Status, r.Body)
	}
	if c := cookieOf(r); c == nil || c.Value != second.RefreshToken {
		t.Fatalf("refresh cookie = %+v, want the new refresh token", c)
	}

	// By cookie alone, with no body at all.
	r = e.Call(t, http.MethodPost, "/auth/refresh", nil, cookieHeader(second.RefreshToken))
	var third tokens
	r.JSON(t, &third)
	if r.Status != http.StatusOK || third.RefreshToken == second.RefreshToken || cookieOf(r).Value != third.RefreshToken {
		t.Fatalf("refresh by cookie = %d %s", r.Status, r.Body)
	}
	if r := e.Call(t, http.MethodGet, "/users/me", nil, httpapitest.Bearer(third.AccessToken)); r.Status != http.StatusOK {
		t.Fatalf("me with the refreshed access token = %d %s", r.Status, r.Body)
	}

	// Reusing a used token is theft: 403, and the whole family is revoked.
	r = e.Call(t, http.MethodPost, "/auth/refresh", nil, cookieHeader(first.RefreshToken))
	if r.Status != http.StatusForbidden || httpapitest.ErrorOf(t, r).Error.Message != "Invalid refresh token." {
		t.Fatalf("reuse = %d %s, want 403", r.Status, r.Body)
	}
	if c := cookieOf(r); c == nil || c.MaxAge >= 0 {
		t.Errorf("a refused cookie is not cleared: %+v", c)
	}
	if r := e.Call(t, http.MethodPost, "/auth/refresh", map[string]string{"token": third.RefreshToken}, nil); r.Status != http.StatusForbidden {
		t.Fatalf("newest token of a revoked family = %d %s, want 403", r.Status, r.Body)
	}
	if r := e.Call(t, http.MethodGet, "/users/me", nil, httpapitest.Bearer(third.AccessToken)); r.Status != http.StatusUnauthorized {
		t.Fatalf("access token of a revoked family = %d %s, want 401", r.Status, r.Body)
	}

	for name, body := range map[string]any{
		"unknown token": map[string]string{"token": "kq3X9v0n8WZ2mJr4Tq1YbLc7Hs5Ua6Pe2Dg0Fi9Oj3M"},
		"the example":   e.Example(t, http.MethodPost, "/auth/refresh"),
	} {
		if r := e.Call(t, http.MethodPost, "/auth/refresh", body, nil); r.Status != http.StatusForbidden {
			t.Errorf("%s = %d %s, want 403", name, r.Status, r.Body)
		}
	}
	for name, body := range map[string]any{"empty object": `{}`, "no body": nil, "wrong type": `{"token":1}`} {
		r := e.Call(t, http.MethodPost, "/auth/refresh", body, nil)
		if r.Status != http.StatusBadRequest || httpapitest.FieldsOf(httpapitest.ErrorOf(t, r)) != "token" {
			t.Errorf("%s = %d %s, want 400 naming token", name, r.Status, r.Body)
		}
	}
}

func TestLogout(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	_, pair := signUp(t, e, "alice")
	other := signIn(t, e, "alice")

	if r := e.Call(t, http.MethodPost, "/auth/logout", nil, nil); r.Status != http.StatusUnauthorized || r.Header.Get("WWW-Authenticate") == "" {
		t.Fatalf("logout without a token = %d %s, want 401 with a challenge", r.Status, r.Body)
	}
	if r := e.Call(t, http.MethodPost, "/auth/logout", nil, httpapitest.Bearer("not-a-jwt")); r.Status != http.StatusUnauthorized {
		t.Fatalf("logout with a bad token = %d %s, want 401", r.Status, r.Body)
	}

	// The access token's own session ends; the refresh token of another
	// session, given in the cookie, ends too.
	h := httpapitest.Bearer(pair.AccessToken)
	h.Set("Cookie", "refresh_token="+other.RefreshToken)
	r := e.Call(t, http.MethodPost, "/auth/logout", nil, h)
	if r.Status != http.StatusOK || len(r.Body) != 0 {
		t.Fatalf("logout = %d %s", r.Status, r.Body)
	}
	if c := cookieOf(r); c == nil || c.MaxAge >= 0 || c.Value != "" {
		t.Errorf("logout does not clear the cookie: %+v", c)
	}
	if r := e.Call(t, http.MethodGet, "/users/me", nil, httpapitest.Bearer(pair.AccessToken)); r.Status != http.StatusUnauthorized {
		t.Errorf("access token after logout = %d, want 401", r.Status)
	}
	for name, token := range map[string]string{"own": pair.RefreshToken, "cookie's": other.RefreshToken} {
		if r := e.Call(t, http.MethodPost, "/auth/refresh", map[string]string{"token": token}, nil); r.Status != http.StatusForbidden {
			t.Errorf("%s refresh token after logout = %d %s, want 403 (blacklisted)", name, r.Status, r.Body)
		}
	}
	if r := e.Call(t, http.MethodPost, "/auth/logout", nil, httpapitest.Bearer(pair.AccessToken)); r.Status != http.StatusUnauthorized {
		t.Errorf("second logout = %d, want 401", r.Status)
	}

	// A refresh token in the body, unknown or not, never fails a logout.
	third := signIn(t, e, "alice")
	r = e.Call(t, http.MethodPost, "/auth/logout", map[string]string{"token": "unknown"}, httpapitest.Bearer(third.AccessToken))
	if r.Status != http.StatusOK {
		t.Fatalf("logout with an unknown refresh token = %d %s", r.Status, r.Body)
	}
	if r := e.Call(t, http.MethodPost, "/auth/refresh", map[string]string{"token": third.RefreshToken}, nil); r.Status != http.StatusForbidden {
		t.Errorf("refresh after logout = %d, want 403", r.Status)
	}

	// Whatever body comes with it, a logout logs out; a token given bare
	// (the document names no scheme) is as good as one after Bearer.
	for name, body := range map[string]string{"not JSON": "bye", "a JSON array": "[1]", "wrong type": `{"token":1}`} {
		p := signIn(t, e, "alice")
		if r := e.Call(t, http.MethodGet, "/users/me", nil, http.Header{"Authorization": {p.AccessToken}}); r.Status != http.StatusOK {
			t.Fatalf("me with a bare access token = %d %s", r.Status, r.Body)
		}
		_, r := e.Serve(t, http.MethodPost, "/auth/logout", body, http.Header{"Authorization": {p.AccessToken}, "Content-Type": {"text/plain"}})
		if r.Status != http.StatusOK {
			t.Errorf("logout with %s = %d %s, want 200", name, r.Status, r.Body)
		}
		if r := e.Call(t, http.MethodGet, "/users/me", nil, http.Header{"Authorization": {p.AccessToken}}); r.Status != http.StatusUnauthorized {
			t.Errorf("after a logout with %s the session lives: %d", name, r.Status)
		}
	}
}

// TestLoginThrottled: repeated failures for one account are slowed down
// with 429 and a Retry-After in whole seconds.
func TestLoginThrottled(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	signUp(t, e, "alice")
	wrong := httpapitest.With(e.Example(t, http.MethodPost, "/auth/login"), "password", "not the password at all")
	for i := range 10 {
		r := e.Call(t, http.MethodPost, "/auth/login", wrong, nil)
		if r.Status == http.StatusUnauthorized {
			continue
		}
		secs, err := strconv.Atoi(r.Header.Get("Retry-After"))
		if r.Status != http.StatusTooManyRequests || err != nil || secs < 1 || httpapitest.ErrorOf(t, r).Error.Code != "rate_limited" {
			t.Fatalf("attempt %d = %d Retry-After %q %s, want 429 with Retry-After", i+1, r.Status, r.Header.Get("Retry-After"), r.Body)
		}
		return
	}
	t.Fatal("10 wrong passwords in a row were never throttled")
}
