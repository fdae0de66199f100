package shortener_test

import (
	"bytes"
	"net/http"
	"strconv"
	"testing"

	"gatehouse/adapters/httpapi/shortener"
)

func TestRegister(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	ex := e.example(t, http.MethodPost, "/auth/register")

	r := e.call(t, http.MethodPost, "/auth/register", ex, nil)
	var u user
	r.json(t, &u)
	if r.status != http.StatusCreated || u.ID == "" || u.Username != ex["username"] || u.Email != ex["email"] || u.TelegramID != "" {
		t.Fatalf("register = %d %s", r.status, r.body)
	}

	tests := []struct {
		name   string
		body   any
		status int
		fields string
		reason string
	}{
		{"email taken", with(ex, "username", "bob"), http.StatusConflict, "", "identity.email_taken"},
		{"username taken", with(ex, "email", "bob@example.com"), http.StatusConflict, "", "identity.login_taken"},
		{"username taken in another case", with(ex, "email", "bob@example.com", "username", "ALICE"), http.StatusConflict, "", "identity.login_taken"},
		{"no email", with(ex, "email", nil, "username", "bob"), http.StatusBadRequest, "email", "invalid.required"},
		{"nothing", `{}`, http.StatusBadRequest, "email,username,password", "invalid.required"},
		{"blank password", with(ex, "email", "bob@example.com", "username", "bob", "password", "  "), http.StatusBadRequest, "password", "invalid.required"},
		{"short password", with(ex, "email", "bob@example.com", "username", "bob", "password", "short"), http.StatusBadRequest, "password", ""},
		{"bad email", with(ex, "email", "bob-at-example", "username", "bob"), http.StatusBadRequest, "email", ""},
		{"username is a number", with(ex, "email", "bob@example.com", "username", 7), http.StatusBadRequest, "username", ""},
		{"malformed", `{"email"`, http.StatusBadRequest, "", "http.malformed_json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.call(t, http.MethodPost, "/auth/register", tt.body, nil)
			got := errorOf(t, r)
			if r.status != tt.status || fieldsOf(got) != tt.fields || (tt.reason != "" && got.Error.Reason != tt.reason) {
				t.Fatalf("= %d %s, want %d naming %q (%s)", r.status, r.body, tt.status, tt.fields, tt.reason)
			}
		})
	}
}

func TestLogin(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	signUp(t, e, "alice")
	ex := e.example(t, http.MethodPost, "/auth/login")

	r := e.call(t, http.MethodPost, "/auth/login", ex, nil)
	var pair tokens
	r.json(t, &pair)
	if r.status != http.StatusOK || pair.AccessToken == "" || pair.RefreshToken == "" {
		t.Fatalf("login = %d %s", r.status, r.body)
	}
	if cc := r.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", cc)
	}
	c := r.cookie()
	if c == nil || c.Value != pair.RefreshToken || !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteStrictMode ||
		c.Path != "/auth" || c.MaxAge != 30*24*60*60 {
		t.Fatalf("refresh cookie = %+v, want the refresh token, HttpOnly, Secure, SameSite=Strict, Path=/auth, 30 days", c)
	}
	if r := e.call(t, http.MethodPost, "/auth/login", with(ex, "email", "alice"), nil); r.status != http.StatusOK {
		t.Errorf("login by username = %d %s", r.status, r.body)
	}

	wrong := e.call(t, http.MethodPost, "/auth/login", with(ex, "password", "not the password at all"), nil)
	unknown := e.call(t, http.MethodPost, "/auth/login", with(ex, "email", "nobody@example.com"), nil)
	for name, r := range map[string]response{"wrong password": wrong, "unknown user": unknown} {
		if r.status != http.StatusUnauthorized || errorOf(t, r).Error.Code != "unauthenticated" || r.cookie() != nil {
			t.Errorf("%s = %d %s, want 401 and no cookie", name, r.status, r.body)
		}
	}
	if !bytes.Equal(wrong.body, unknown.body) {
		t.Errorf("an unknown user is told apart from a wrong password:\n%s\n%s", wrong.body, unknown.body)
	}

	tests := []struct {
		name   string
		body   any
		fields string
	}{
		{"no email", with(ex, "email", nil), "email"},
		{"no password", with(ex, "password", ""), "password"},
		{"password is a number", with(ex, "password", 12345678), "password"},
		{"array", `[]`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.call(t, http.MethodPost, "/auth/login", tt.body, nil)
			if r.status != http.StatusBadRequest || fieldsOf(errorOf(t, r)) != tt.fields {
				t.Fatalf("= %d %s, want 400 naming %q", r.status, r.body, tt.fields)
			}
		})
	}
}

func TestInsecureCookies(t *testing.T) {
	e := newEnv(t, shortener.Options{InsecureCookies: true, Prefix: "/api"})
	reg := e.example(t, http.MethodPost, "/api/auth/register")
	if r := e.call(t, http.MethodPost, "/api/auth/register", reg, nil); r.status != http.StatusCreated {
		t.Fatalf("register = %d %s", r.status, r.body)
	}
	r := e.call(t, http.MethodPost, "/api/auth/login", e.example(t, http.MethodPost, "/api/auth/login"), nil)
	c := r.cookie()
	if r.status != http.StatusOK || c == nil || c.Secure || !c.HttpOnly || c.Path != "/api/auth" {
		t.Fatalf("login = %d, cookie %+v; want HttpOnly without Secure on /api/auth", r.status, c)
	}
}

func TestRefresh(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	_, first := signUp(t, e, "alice")

	r := e.call(t, http.MethodPost, "/auth/refresh", map[string]string{"token": first.RefreshToken}, nil)
	var second tokens
	r.json(t, &second)
	if r.status != http.StatusOK || second.RefreshToken == first.RefreshToken || second.AccessToken == "" {
		t.Fatalf("refresh = %d %s", r.status, r.body)
	}
	if c := r.cookie(); c == nil || c.Value != second.RefreshToken {
		t.Fatalf("refresh cookie = %+v, want the new refresh token", c)
	}

	// By cookie alone, with no body at all.
	r = e.call(t, http.MethodPost, "/auth/refresh", nil, cookieHeader(second.RefreshToken))
	var third tokens
	r.json(t, &third)
	if r.status != http.StatusOK || third.RefreshToken == second.RefreshToken || r.cookie().Value != third.RefreshToken {
		t.Fatalf("refresh by cookie = %d %s", r.status, r.body)
	}
	if r := e.call(t, http.MethodGet, "/users/me", nil, bearer(third.AccessToken)); r.status != http.StatusOK {
		t.Fatalf("me with the refreshed access token = %d %s", r.status, r.body)
	}

	// Reusing a used token is theft: 403, and the whole family is revoked.
	r = e.call(t, http.MethodPost, "/auth/refresh", nil, cookieHeader(first.RefreshToken))
	if r.status != http.StatusForbidden || errorOf(t, r).Error.Message != "Invalid refresh token." {
		t.Fatalf("reuse = %d %s, want 403", r.status, r.body)
	}
	if c := r.cookie(); c == nil || c.MaxAge >= 0 {
		t.Errorf("a refused cookie is not cleared: %+v", c)
	}
	if r := e.call(t, http.MethodPost, "/auth/refresh", map[string]string{"token": third.RefreshToken}, nil); r.status != http.StatusForbidden {
		t.Fatalf("newest token of a revoked family = %d %s, want 403", r.status, r.body)
	}
	if r := e.call(t, http.MethodGet, "/users/me", nil, bearer(third.AccessToken)); r.status != http.StatusUnauthorized {
		t.Fatalf("access token of a revoked family = %d %s, want 401", r.status, r.body)
	}

	for name, body := range map[string]any{
		"unknown token": map[string]string{"token": "kq3X9v0n8WZ2mJr4Tq1YbLc7Hs5Ua6Pe2Dg0Fi9Oj3M"},
		"the example":   e.example(t, http.MethodPost, "/auth/refresh"),
	} {
		if r := e.call(t, http.MethodPost, "/auth/refresh", body, nil); r.status != http.StatusForbidden {
			t.Errorf("%s = %d %s, want 403", name, r.status, r.body)
		}
	}
	for name, body := range map[string]any{"empty object": `{}`, "no body": nil, "wrong type": `{"token":1}`} {
		r := e.call(t, http.MethodPost, "/auth/refresh", body, nil)
		if r.status != http.StatusBadRequest || fieldsOf(errorOf(t, r)) != "token" {
			t.Errorf("%s = %d %s, want 400 naming token", name, r.status, r.body)
		}
	}
}

func TestLogout(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	_, pair := signUp(t, e, "alice")
	other := signIn(t, e, "alice")

	if r := e.call(t, http.MethodPost, "/auth/logout", nil, nil); r.status != http.StatusUnauthorized || r.header.Get("WWW-Authenticate") == "" {
		t.Fatalf("logout without a token = %d %s, want 401 with a challenge", r.status, r.body)
	}
	if r := e.call(t, http.MethodPost, "/auth/logout", nil, bearer("not-a-jwt")); r.status != http.StatusUnauthorized {
		t.Fatalf("logout with a bad token = %d %s, want 401", r.status, r.body)
	}

	// The access token's own session ends; the refresh token of another
	// session, given in the cookie, ends too.
	h := bearer(pair.AccessToken)
	h.Set("Cookie", "refresh_token="+other.RefreshToken)
	r := e.call(t, http.MethodPost, "/auth/logout", nil, h)
	if r.status != http.StatusOK || len(r.body) != 0 {
		t.Fatalf("logout = %d %s", r.status, r.body)
	}
	if c := r.cookie(); c == nil || c.MaxAge >= 0 || c.Value != "" {
		t.Errorf("logout does not clear the cookie: %+v", c)
	}
	if r := e.call(t, http.MethodGet, "/users/me", nil, bearer(pair.AccessToken)); r.status != http.StatusUnauthorized {
		t.Errorf("access token after logout = %d, want 401", r.status)
	}
	for name, token := range map[string]string{"own": pair.RefreshToken, "cookie's": other.RefreshToken} {
		if r := e.call(t, http.MethodPost, "/auth/refresh", map[string]string{"token": token}, nil); r.status != http.StatusForbidden {
			t.Errorf("%s refresh token after logout = %d %s, want 403 (blacklisted)", name, r.status, r.body)
		}
	}
	if r := e.call(t, http.MethodPost, "/auth/logout", nil, bearer(pair.AccessToken)); r.status != http.StatusUnauthorized {
		t.Errorf("second logout = %d, want 401", r.status)
	}

	// A refresh token in the body, unknown or not, never fails a logout.
	third := signIn(t, e, "alice")
	r = e.call(t, http.MethodPost, "/auth/logout", map[string]string{"token": "unknown"}, bearer(third.AccessToken))
	if r.status != http.StatusOK {
		t.Fatalf("logout with an unknown refresh token = %d %s", r.status, r.body)
	}
	if r := e.call(t, http.MethodPost, "/auth/refresh", map[string]string{"token": third.RefreshToken}, nil); r.status != http.StatusForbidden {
		t.Errorf("refresh after logout = %d, want 403", r.status)
	}
}

// TestLoginThrottled: repeated failures for one account are slowed down
// with 429 and a Retry-After in whole seconds.
func TestLoginThrottled(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	signUp(t, e, "alice")
	wrong := with(e.example(t, http.MethodPost, "/auth/login"), "password", "not the password at all")
	for i := range 10 {
		r := e.call(t, http.MethodPost, "/auth/login", wrong, nil)
		if r.status == http.StatusUnauthorized {
			continue
		}
		secs, err := strconv.Atoi(r.header.Get("Retry-After"))
		if r.status != http.StatusTooManyRequests || err != nil || secs < 1 || errorOf(t, r).Error.Code != "rate_limited" {
			t.Fatalf("attempt %d = %d Retry-After %q %s, want 429 with Retry-After", i+1, r.status, r.header.Get("Retry-After"), r.body)
		}
		return
	}
	t.Fatal("10 wrong passwords in a row were never throttled")
}
