package felmee_test

import (
	"net/http"
	"testing"

	"gatehouse/adapters/httpapi/felmee"
)

func TestPhoneSignInAndRefresh(t *testing.T) {
	e := newEnv(t, felmee.Options{})
	want(t, e.call(t, http.MethodPost, "/api/auth/phone/send/otp", e.Example(t, http.MethodPost, "/api/auth/phone/send/otp"), captchaHeader()),
		200, "OTP code sent successfully", "")
	body := e.Example(t, http.MethodPost, "/api/auth/phone/login")
	body["otp"] = e.out.code(t, "+79991234567")
	r := e.call(t, http.MethodPost, "/api/auth/phone/login", body, nil)
	env := want(t, r, 200, "The authorization process has been completed successfully!", "")
	jwt, rt := env.Data["JWT"].(string), env.Data["RT"].(string)
	if jwt == "" || rt == "" || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("sign-in answer %s %v", r.Body, r.Header)
	}
	access, refresh := cookie(t, r, "JWT"), cookie(t, r, "RT")
	if access.Value != jwt || !access.HttpOnly || !access.Secure || access.SameSite != http.SameSiteStrictMode || access.Path != "/api" {
		t.Fatalf("JWT cookie %+v", access)
	}
	if refresh.Value != rt || !refresh.HttpOnly || refresh.Path != "/api/auth/refresh-token" {
		t.Fatalf("RT cookie %+v", refresh)
	}

	// By header, then by cookie: each rotates.
	r = e.call(t, http.MethodPost, "/api/auth/refresh-token", nil, http.Header{"Rt": {"Bearer " + rt}})
	env = want(t, r, 200, "Token refreshed successfully", "")
	rt2 := env.Data["RT"].(string)
	r = e.call(t, http.MethodPost, "/api/auth/refresh-token", nil, http.Header{"Cookie": {"RT=" + rt2}})
	env = want(t, r, 200, "Token refreshed successfully", "")
	rt3 := env.Data["RT"].(string)
	if cookie(t, r, "RT").Value != rt3 {
		t.Fatal("refresh did not set the new RT cookie")
	}

	// A reused token is refused and revokes the family: the newest token dies too.
	want(t, e.call(t, http.MethodPost, "/api/auth/refresh-token", nil, http.Header{"Rt": {rt2}}), 401, "", "unauthorized")
	r = e.call(t, http.MethodPost, "/api/auth/refresh-token", nil, http.Header{"Cookie": {"RT=" + rt3}})
	want(t, r, 401, "", "unauthorized")
	if c := cookie(t, r, "RT"); c.MaxAge >= 0 {
		t.Fatalf("a refused RT cookie was not cleared: %+v", c)
	}
	want(t, e.call(t, http.MethodPost, "/api/auth/refresh-token", nil, nil), 401, "", "unauthorized")
}

func TestPhoneFormatsAreOneAccount(t *testing.T) {
	e := newEnv(t, felmee.Options{})
	for _, phone := range []string{"+7 999 123-45-67", "8 (999) 123 45 67", "79991234567"} {
		jwt, _ := e.signIn(t, phone)
		r := e.call(t, http.MethodPost, "/api/auth/email/send/otp", map[string]any{"recipient": "x@example.com"}, captchaHeader("Authorization", "Bearer "+jwt))
		want(t, r, 200, "", "")
		e.clock.Advance(61e9)
	}
	n := 0
	for _, u := range mustUsers(t, e) {
		if u.Phone == "+79991234567" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d accounts for one phone in three spellings", n)
	}
}

func TestPhoneErrorsAreEnveloped(t *testing.T) {
	e := newEnv(t, felmee.Options{})
	send := func(body any, h http.Header) response {
		return e.call(t, http.MethodPost, "/api/auth/phone/send/otp", body, h)
	}
	want(t, send(map[string]any{"recipient": "+79991234567"}, nil), 400, "", "captcha_required")
	want(t, send(map[string]any{"recipient": "+79991234567"}, http.Header{"Captcha-Token": {"bad"}}), 400, "", "captcha_invalid")
	if e.out.sent() != 0 {
		t.Fatal("a code went out without a valid captcha")
	}
	env := want(t, send(map[string]any{"recipient": "call me"}, captchaHeader()), 400, "", "validation")
	if env.Data["fields"] == nil {
		t.Fatalf("validation error without fields: %+v", env)
	}
	want(t, send(map[string]any{}, captchaHeader()), 400, "", "validation")
	want(t, send("{", captchaHeader()), 400, "", "validation")
	want(t, send(map[string]any{"recipient": "+79991234567"}, captchaHeader()), 200, "", "")
	r := send(map[string]any{"recipient": "+7 999 123 45 67"}, captchaHeader())
	want(t, r, 429, "", "too_many_requests")
	if r.Header.Get("Retry-After") != "60" {
		t.Fatalf("Retry-After = %q, want 60", r.Header.Get("Retry-After"))
	}

	login := func(otp string) response {
		return e.call(t, http.MethodPost, "/api/auth/phone/login", map[string]any{"phone": "+79991234567", "otp": otp}, nil)
	}
	want(t, login("000000"), 401, "", "code_invalid")
	want(t, login(""), 400, "", "validation")
	for range 4 {
		login("000000")
	}
	want(t, login(e.out.code(t, "+79991234567")), 410, "", "code_exhausted")

	for _, tt := range []struct {
		method, path string
		status       int
		codeError    string
	}{
		{http.MethodGet, "/api/auth/nope", 404, "not_found"},
		{http.MethodGet, "/api/auth/phone/login", 405, "method_not_allowed"},
	} {
		_, r := e.Serve(t, tt.method, tt.path, nil, nil)
		want(t, r, tt.status, "", tt.codeError)
	}
}

func TestCodeExpires(t *testing.T) {
	e := newEnv(t, felmee.Options{})
	want(t, e.call(t, http.MethodPost, "/api/auth/phone/send/otp", map[string]any{"recipient": "+79991234567"}, captchaHeader()), 200, "", "")
	e.clock.Advance(10 * 60e9)
	r := e.call(t, http.MethodPost, "/api/auth/phone/login", map[string]any{"phone": "+79991234567", "otp": e.out.code(t, "+79991234567")}, nil)
	want(t, r, 410, "", "code_expired")
}
