package shortener_test

import (
	"context"
	"net/http"
	"testing"

	"gatehouse/adapters/httpapi/shortener"
)

func TestMe(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	created, pair := signUp(t, e, "alice")

	r := e.call(t, http.MethodGet, "/users/me", nil, bearer(pair.AccessToken))
	var u user
	r.json(t, &u)
	if r.status != http.StatusOK || u != created {
		t.Fatalf("me = %d %s, want %+v", r.status, r.body, created)
	}
}

// TestDeleteMe: the account goes with its links and every session.
func TestDeleteMe(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	_, pair := signUp(t, e, "alice")
	other := signIn(t, e, "alice")
	u := createURL(t, e, pair.AccessToken, e.example(t, http.MethodPost, "/urls"))
	_, bob := signUp(t, e, "bob")
	kept := createURL(t, e, bob.AccessToken, map[string]any{"url": "https://example.org/bob"})

	r := e.call(t, http.MethodDelete, "/users/me", nil, bearer(pair.AccessToken))
	if r.status != http.StatusOK || len(r.body) != 0 {
		t.Fatalf("delete me = %d %s", r.status, r.body)
	}
	if c := r.cookie(); c == nil || c.MaxAge >= 0 {
		t.Errorf("delete me does not clear the cookie: %+v", c)
	}
	if r := e.call(t, http.MethodGet, "/users/me", nil, bearer(pair.AccessToken)); r.status != http.StatusUnauthorized {
		t.Errorf("me with the deleting token = %d, want 401", r.status)
	}
	visit(t, e, "/"+u.Alias, http.StatusNotFound)
	if r := e.call(t, http.MethodPost, "/auth/login", e.example(t, http.MethodPost, "/auth/login"), nil); r.status != http.StatusUnauthorized {
		t.Errorf("login of a deleted account = %d, want 401", r.status)
	}
	if got := listURLs(t, e, bob.AccessToken); len(got) != 1 || got[0] != kept {
		t.Errorf("another user's links after the delete = %+v", got)
	}

	if r := e.call(t, http.MethodGet, "/users/me", nil, bearer(other.AccessToken)); r.status != http.StatusUnauthorized {
		t.Fatalf("me with another session of the deleted account = %d %s, want 401", r.status, r.body)
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
	r := e.call(t, http.MethodGet, "/users/me", nil, bearer(pair.AccessToken))
	if r.status != http.StatusNotFound || errorOf(t, r).Error.Reason != "identity.user_not_found" {
		t.Fatalf("me = %d %s, want 404", r.status, r.body)
	}
	r = e.call(t, http.MethodDelete, "/users/me", nil, bearer(pair.AccessToken))
	if r.status != http.StatusBadRequest || errorOf(t, r).Error.Message != "User not found in database." {
		t.Fatalf("delete me = %d %s, want 400 User not found in database.", r.status, r.body)
	}
}
