package shortener_test

import (
	"context"
	"gatehouse/adapters/httpapi/httpapitest"
	"net/http"
	"testing"

	"gatehouse/adapters/httpapi/shortener"
)

func TestMe(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	created, pair := signUp(t, e, "alice")

	r := e.Call(t, http.MethodGet, "/users/me", nil, httpapitest.Bearer(pair.AccessToken))
	var u user
	r.JSON(t, &u)
	if r.Status != http.StatusOK || u != created {
		t.Fatalf("me = %d %s, want %+v", r.Status, r.Body, created)
	}
}

// TestDeleteMe: the account goes with its links and every session.
func TestDeleteMe(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	_, pair := signUp(t, e, "alice")
	other := signIn(t, e, "alice")
	u := createURL(t, e, pair.AccessToken, e.Example(t, http.MethodPost, "/urls"))
	_, bob := signUp(t, e, "bob")
	kept := createURL(t, e, bob.AccessToken, map[string]any{"url": "https://example.org/bob"})

	r := e.Call(t, http.MethodDelete, "/users/me", nil, httpapitest.Bearer(pair.AccessToken))
	if r.Status != http.StatusOK || len(r.Body) != 0 {
		t.Fatalf("delete me = %d %s", r.Status, r.Body)
	}
	if c := cookieOf(r); c == nil || c.MaxAge >= 0 {
		t.Errorf("delete me does not clear the cookie: %+v", c)
	}
	if r := e.Call(t, http.MethodGet, "/users/me", nil, httpapitest.Bearer(pair.AccessToken)); r.Status != http.StatusUnauthorized {
		t.Errorf("me with the deleting token = %d, want 401", r.Status)
	}
	visit(t, e, "/"+u.Alias, http.StatusNotFound)
	if r := e.Call(t, http.MethodPost, "/auth/login", e.Example(t, http.MethodPost, "/auth/login"), nil); r.Status != http.StatusUnauthorized {
		t.Errorf("login of a deleted account = %d, want 401", r.Status)
	}
	if got := listURLs(t, e, bob.AccessToken); len(got) != 1 || got[0] != kept {
		t.Errorf("another user's links after the delete = %+v", got)
	}

	if r := e.Call(t, http.MethodGet, "/users/me", nil, httpapitest.Bearer(other.AccessToken)); r.Status != http.StatusUnauthorized {
		t.Fatalf("me with another session of the deleted account = %d %s, want 401", r.Status, r.Body)
	}
}

// TestUserGone: a valid token of a user whose record is gone hears the
// contract's 404 from GET /users/me and 400 from DELETE /users/me.
func TestUserGone(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	u, pair := signUp(t, e, "alice")
	if err := e.users.Delete(context.Background(), u.ID); err != nil {
		t.Fatal(err)
	}
	r := e.Call(t, http.MethodGet, "/users/me", nil, httpapitest.Bearer(pair.AccessToken))
	if r.Status != http.StatusNotFound || httpapitest.ErrorOf(t, r).Error.Reason != "identity.user_not_found" {
		t.Fatalf("me = %d %s, want 404", r.Status, r.Body)
	}
	r = e.Call(t, http.MethodDelete, "/users/me", nil, httpapitest.Bearer(pair.AccessToken))
	if r.Status != http.StatusBadRequest || httpapitest.ErrorOf(t, r).Error.Message != "User not found in database." {
		t.Fatalf("delete me = %d %s, want 400 User not found in database.", r.Status, r.Body)
	}
}
