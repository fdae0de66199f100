package app

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"testing"
)

// TestOneIdentityAcrossFrontends walks one person through every frontend of
// the running service: an account made through contract 004 signs in
// through 003 and 002, makes and follows a short link, resets its password
// through 003's email flow, and every old session ends.
func TestOneIdentityAcrossFrontends(t *testing.T) {
	if testing.Short() {
		t.Skip("boots the embedded database")
	}
	logs := &logRecords{}
	dataDir := t.TempDir()
	svc := startServiceLogging(t, slog.New(slog.NewJSONHandler(logs, nil)),
		"GATEHOUSE_DATA_DIR="+dataDir, "GATEHOUSE_DEV=true")

	// Contract 004: register, with the document's Cyrillic names.
	var acct struct {
		ID    int    `json:"id"`
		Login string `json:"login"`
		Token string `json:"token"`
	}
	reg := `{"login":"danila_g","password":"Xq7vLm2pZ","email":"danila@example.com","first_name":"Данила","last_name":"Гинда"}`
	if code := svc.call(t, "POST", "/account/registration", reg, map[string]string{"browser": "Firefox 120"}, &acct); code != 200 || acct.Token == "" {
		t.Fatalf("004 registration: %d %+v", code, acct)
	}
	if code := svc.call(t, "GET", "/account/me", "", map[string]string{"Authorization": acct.Token}, nil); code != 200 {
		t.Fatalf("004 me: %d", code)
	}
	// Registration mailed a confirmation link; following it confirms the email.
	var confirmedEmail struct {
		Purpose string `json:"purpose"`
	}
	if code := svc.call(t, "GET", linkPath(t, logs.link(t, "danila@example.com", "email_confirm")), "", nil, &confirmedEmail); code != 200 || confirmedEmail.Purpose != "email_confirm" {
		t.Fatalf("email confirmation: %d %+v", code, confirmedEmail)
	}

	// Contract 003: the same account signs in by its login.
	var p3 pair
	if code := svc.call(t, "POST", "/v1/auth/login", `{"username":"danila_g","password":"Xq7vLm2pZ"}`, nil, &p3); code != 200 {
		t.Fatalf("003 login: %d", code)
	}
	if code := svc.call(t, "GET", "/v1/user/profile", "", bearer(p3.AccessToken), nil); code != 200 {
		t.Fatalf("003 profile: %d", code)
	}

	// Contract 002: signs in by email, shortens a URL, follows it.
	var p2 pair
	if code := svc.call(t, "POST", "/auth/login", `{"email":"danila@example.com","password":"Xq7vLm2pZ"}`, nil, &p2); code != 200 {
		t.Fatalf("002 login: %d", code)
	}
	var link struct {
		ID        string `json:"id"`
		Alias     string `json:"alias"`
		Redirects int    `json:"redirects"`
	}
	if code := svc.call(t, "POST", "/urls", `{"url":"https://example.com/docs","alias":"docs-e2e"}`, bearer(p2.AccessToken), &link); code != 201 {
		t.Fatalf("002 create url: %d", code)
	}
	noFollow := noRedirects()
	for range 3 {
		resp, err := noFollow.Get(svc.base + "/docs-e2e")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 302 || resp.Header.Get("Location") != "https://example.com/docs" {
			t.Fatalf("redirect: %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	var urls []struct {
		Alias     string `json:"alias"`
		Redirects int    `json:"redirects"`
	}
	if code := svc.call(t, "GET", "/urls", "", bearer(p2.AccessToken), &urls); code != 200 || len(urls) != 1 || urls[0].Redirects != 3 {
		t.Fatalf("002 list: %d %+v, want one link with 3 redirects", code, urls)
	}

	// Contract 003's reset flow: the link comes through the dev log channel.
	var restored struct {
		Email string `json:"email"`
	}
	if code := svc.call(t, "POST", "/v1/user/password/restore", `{"email":"danila@example.com"}`, nil, &restored); code != 200 {
		t.Fatalf("restore: %d", code)
	}
	path := linkPath(t, logs.link(t, "danila@example.com", "password_reset"))
	var confirmed struct {
		Token string `json:"token"`
	}
	if code := svc.call(t, "GET", path, "", nil, &confirmed); code != 200 || confirmed.Token == "" {
		t.Fatalf("confirm %s: %d", path, code)
	}
	body := fmt.Sprintf(`{"token":%q,"password":"Wr9tKe4sB"}`, confirmed.Token)
	if code := svc.call(t, "POST", "/v1/user/password/reset", body, nil, nil); code != 200 {
		t.Fatalf("reset: %d", code)
	}

	// Every session of every frontend ended with the reset.
	if code := svc.call(t, "GET", "/account/me", "", map[string]string{"Authorization": acct.Token}, nil); code != 403 {
		t.Errorf("004 token after reset: %d, want 403", code)
	}
	if code := svc.call(t, "GET", "/v1/user/profile", "", bearer(p3.AccessToken), nil); code != 401 {
		t.Errorf("003 access token after reset: %d, want 401", code)
	}
	if code := svc.call(t, "POST", "/auth/refresh", fmt.Sprintf(`{"token":%q}`, p2.RefreshToken), nil, nil); code != 403 {
		t.Errorf("002 refresh after reset: %d, want 403", code)
	}
	if code := svc.call(t, "POST", "/account/login", `{"login":"danila_g","password":"Wr9tKe4sB"}`, nil, nil); code != 200 {
		t.Errorf("004 login with the new password: %d", code)
	}

	// A graceful stop flushes the redirect counts into storage.
	svc.stop(t)
	svc = startService(t, "GATEHOUSE_DATA_DIR="+dataDir)
	if code := svc.call(t, "POST", "/auth/login", `{"email":"danila@example.com","password":"Wr9tKe4sB"}`, nil, &p2); code != 200 {
		t.Fatalf("002 login after restart: %d", code)
	}
	if code := svc.call(t, "GET", "/urls", "", bearer(p2.AccessToken), &urls); code != 200 || len(urls) != 1 || urls[0].Redirects != 3 {
		t.Fatalf("002 list after restart: %d %+v, want 3 stored redirects", code, urls)
	}
}

// linkPath is the path of an emailed link: the service listens on a port
// chosen at start, so the link's host is not where it listens.
func linkPath(tb testing.TB, link string) string {
	tb.Helper()
	u, err := url.Parse(link)
	if err != nil {
		tb.Fatal(err)
	}
	return u.Path
}

// noRedirects is a client that reports redirects instead of following them.
func noRedirects() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
