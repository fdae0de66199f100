package account_test

import (
	"context"
	"gatehouse/adapters/httpapi/httpapitest"
	"net/http"
	"slices"
	"strconv"
	"testing"

	"gatehouse/adapters/httpapi/account"
)

// TestTokenEnds checks that a token stops working on /account/me once its
// session ends or its account goes, with 403 as this contract answers.
func TestTokenEnds(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, account.Options{})
	reg := signUp(t, e)
	u, err := e.ids.UserByLogin(ctx, reg.Login)
	if err != nil {
		t.Fatal(err)
	}

	if err := e.sess.EndUserSessions(ctx, u.ID, "test"); err != nil {
		t.Fatal(err)
	}
	if r := e.call(t, http.MethodGet, "/account/me", nil, auth(reg.Token)); r.Status != http.StatusForbidden {
		t.Fatalf("me after the sessions ended = %d %s, want 403", r.Status, r.Body)
	}

	var again profile
	e.call(t, http.MethodPost, "/account/login", e.Example(t, http.MethodPost, "/account/login"), nil).JSON(t, &again)
	if err := e.users.Delete(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/account/me", "/account/edit/info"} {
		method, body := http.MethodGet, any(nil)
		if path == "/account/edit/info" {
			method, body = http.MethodPost, e.Example(t, http.MethodPost, path)
		}
		if r := e.call(t, method, path, body, auth(again.Token)); r.Status != http.StatusForbidden {
			t.Fatalf("%s for a deleted account = %d %s, want 403", path, r.Status, r.Body)
		}
	}
}

// TestGrantShows grants a role and a group the way the admin command does;
// both appear in /account/me with their catalog ids, with the permissions
// they bring.
func TestGrantShows(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, account.Options{})
	reg := signUp(t, e)
	u, err := e.ids.UserByLogin(ctx, reg.Login)
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{"admin", "group:staff"} {
		if _, err := e.ids.Grant(ctx, u.ID, role); err != nil {
			t.Fatal(err)
		}
	}
	var p profile
	e.call(t, http.MethodGet, "/account/me", nil, auth(reg.Token)).JSON(t, &p)
	if !slices.Contains(p.Roles, named{ID: 2, Name: "admin"}) || !slices.Contains(p.Groups, named{ID: 1, Name: "staff"}) ||
		!slices.Contains(p.Permissions, "users.admin") {
		t.Fatalf("me after the grants = %+v", p)
	}
	var listed []profile
	e.call(t, http.MethodGet, "/info/users/", nil, nil).JSON(t, &listed)
	if len(listed) != 1 || !slices.Contains(listed[0].Roles, named{ID: 2, Name: "admin"}) {
		t.Fatalf("listed = %+v", listed)
	}
}

// TestLoginThrottled fails sign-ins to one account until the use case
// throttles it: 429 with a Retry-After in seconds.
func TestLoginThrottled(t *testing.T) {
	e := newEnv(t, account.Options{})
	signUp(t, e)
	wrong := httpapitest.With(e.Example(t, http.MethodPost, "/account/login"), "password", "Wrong12345")
	for i := range 50 {
		r := e.call(t, http.MethodPost, "/account/login", wrong, nil)
		if r.Status == http.StatusForbidden {
			continue
		}
		if r.Status != http.StatusTooManyRequests {
			t.Fatalf("attempt %d = %d %s, want 403 or 429", i, r.Status, r.Body)
		}
		if secs, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || secs < 1 {
			t.Fatalf("Retry-After = %q, want whole seconds", r.Header.Get("Retry-After"))
		}
		messageOf(t, r)
		return
	}
	t.Fatal("50 wrong passwords were never throttled")
}
