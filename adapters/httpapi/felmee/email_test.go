package felmee_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gatehouse/adapters/httpapi/felmee"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

func mustUsers(tb testing.TB, e *env) []identity.User {
	tb.Helper()
	all, err := e.ids.Users(context.Background(), 0, 100)
	if err != nil {
		tb.Fatal(err)
	}
	return all
}

func TestBindEmailOnce(t *testing.T) {
	e := newEnv(t, felmee.Options{})
	jwt, _ := e.signIn(t, "+79991234567")
	send := func(addr string, h http.Header) response {
		return e.call(t, http.MethodPost, "/api/auth/email/send/otp", map[string]any{"recipient": addr}, h)
	}
	want(t, send("me@example.com", captchaHeader()), 401, "", "unauthorized")
	want(t, send("me@example.com", captchaHeader("Authorization", "Bearer "+jwt)), 200,
		"If the address is available for binding, we will send a code to it.", "")
	add := func(addr, otp string, h http.Header) response {
		return e.call(t, http.MethodPut, "/api/auth/email/add", map[string]any{"email": addr, "otp": otp}, h)
	}
	code := e.out.code(t, "me@example.com")
	// By cookie, as a browser: the JWT cookie is a credential.
	want(t, add("me@example.com", code, http.Header{"Cookie": {"JWT=" + jwt}}), 200, "Email successfully added!", "")
	want(t, add("me@example.com", code, http.Header{"Cookie": {"JWT=" + jwt}}), 401, "", "code_invalid")

	// A taken address: the same answer on send, nothing sent, refused on add.
	if _, err := e.ids.Register(context.Background(), ports.Registration{Login: "other", Email: "taken@example.com", Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	before := e.out.sent()
	want(t, send("taken@example.com", captchaHeader("Authorization", "Bearer "+jwt)), 200,
		"If the address is available for binding, we will send a code to it.", "")
	if e.out.sent() != before {
		t.Fatal("a bind code was sent to an address another account has")
	}
	want(t, add("taken@example.com", "123456", http.Header{"Authorization": {"Bearer " + jwt}}), 409, "", "email_taken")
}

func TestCookieRequestsFromAnotherSiteAreRefused(t *testing.T) {
	e := newEnv(t, felmee.Options{})
	jwt, _ := e.signIn(t, "+79991234567")
	h := captchaHeader("Cookie", "JWT="+jwt, "Sec-Fetch-Site", "cross-site")
	want(t, e.call(t, http.MethodPost, "/api/auth/email/send/otp", map[string]any{"recipient": "me@example.com"}, h), 403, "", "forbidden")
}

func TestLoginLinkSignsTheBrowserInOnce(t *testing.T) {
	e := newEnv(t, felmee.Options{AfterLogin: "/welcome"})
	if _, err := e.ids.Register(context.Background(), ports.Registration{Login: "linker", Email: "linker@example.com", Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{"linker@example.com", "nobody@example.com"} {
		want(t, e.call(t, http.MethodPost, "/api/auth/email/send/login-link", map[string]any{"recipient": addr}, captchaHeader()),
			200, "If an account with this email exists, we will send a login link to this address.", "")
	}
	token := e.out.linkToken(t, "linker@example.com")

	_, page := e.Serve(t, http.MethodGet, felmee.LoginLinkPath+"?token="+url.QueryEscape(token), nil, nil)
	if page.Status != 200 || !strings.Contains(string(page.Body), `name="token" value="`+token+`"`) {
		t.Fatalf("landing page %d %s", page.Status, page.Body)
	}
	form := func() response {
		_, r := e.Serve(t, http.MethodPost, felmee.LoginLinkPath, "token="+url.QueryEscape(token),
			http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Sec-Fetch-Site": {"same-origin"}})
		return r
	}
	r := form()
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/welcome" || cookie(t, r, "JWT").Value == "" || cookie(t, r, "RT").Value == "" {
		t.Fatalf("form sign-in %d %v", r.Status, r.Header)
	}
	if r = form(); r.Status != 401 || r.Header.Get("Set-Cookie") != "" {
		t.Fatalf("second use of a link: %d %v", r.Status, r.Header)
	}
}

func TestLoginLinkExchangeForAPIClients(t *testing.T) {
	e := newEnv(t, felmee.Options{Prefix: "/felmee"})
	if _, err := e.ids.Register(context.Background(), ports.Registration{Login: "api", Email: "api@example.com", Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	want(t, e.call(t, http.MethodPost, "/api/auth/email/send/login-link", map[string]any{"recipient": "api@example.com"}, captchaHeader()), 200, "", "")
	token := e.out.linkToken(t, "api@example.com")
	r := e.call(t, http.MethodPost, felmee.LoginLinkPath, map[string]any{"token": token}, nil)
	env := want(t, r, 200, "The authorization process has been completed successfully!", "")
	if env.Data["JWT"] == "" || cookie(t, r, "JWT").Path != "/felmee/api" {
		t.Fatalf("exchange %s %v", r.Body, r.Header)
	}
	want(t, e.call(t, http.MethodPost, felmee.LoginLinkPath, map[string]any{"token": token}, nil), 401, "", "code_invalid")
	want(t, e.call(t, http.MethodPost, felmee.LoginLinkPath, map[string]any{}, nil), 400, "", "validation")
}
