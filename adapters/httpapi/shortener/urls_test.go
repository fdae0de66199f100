package shortener_test

import (
	"fmt"
	"gatehouse/adapters/httpapi/httpapitest"
	"net/http"
	"sync"
	"testing"
	"time"

	"gatehouse/adapters/httpapi/shortener"
)

// urlObj is the url object.
type urlObj struct {
	ID        string `json:"id"`
	Alias     string `json:"alias"`
	URL       string `json:"url"`
	Redirects int64  `json:"redirects"`
}

// createURL creates a link for the holder of access and returns it. The
// clock moves on a second first, so links list in creation order.
func createURL(tb testing.TB, e *env, access string, body map[string]any) urlObj {
	tb.Helper()
	e.clock.Advance(time.Second)
	r := e.Call(tb, http.MethodPost, "/urls", body, httpapitest.Bearer(access))
	if r.Status != http.StatusCreated {
		tb.Fatalf("create %v = %d %s", body, r.Status, r.Body)
	}
	var u urlObj
	r.JSON(tb, &u)
	return u
}

// listURLs returns the links of the holder of access.
func listURLs(tb testing.TB, e *env, access string) []urlObj {
	tb.Helper()
	r := e.Call(tb, http.MethodGet, "/urls", nil, httpapitest.Bearer(access))
	if r.Status != http.StatusOK {
		tb.Fatalf("list = %d %s", r.Status, r.Body)
	}
	var out []urlObj
	r.JSON(tb, &out)
	return out
}

func TestCreateAndListURLs(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	_, pair := signUp(t, e, "alice")
	ex := e.Example(t, http.MethodPost, "/urls")

	if got := listURLs(t, e, pair.AccessToken); got == nil || len(got) != 0 {
		t.Fatalf("list of a new user = %#v, want []", got)
	}
	first := createURL(t, e, pair.AccessToken, ex)
	if first.ID == "" || first.Alias != ex["alias"] || first.URL != ex["url"] || first.Redirects != 0 {
		t.Fatalf("created = %+v from %v", first, ex)
	}
	generated := createURL(t, e, pair.AccessToken, httpapitest.With(ex, "alias", nil))
	if generated.Alias == "" || generated.Alias == first.Alias || generated.ID == first.ID {
		t.Fatalf("generated alias = %+v", generated)
	}
	if got := listURLs(t, e, pair.AccessToken); len(got) != 2 || got[0] != generated || got[1] != first {
		t.Fatalf("list = %+v, want newest first: %+v %+v", got, generated, first)
	}

	tests := []struct {
		name   string
		body   any
		status int
		fields string
	}{
		{"alias taken", httpapitest.With(ex, "url", "https://example.org/"), http.StatusConflict, ""},
		{"no url", httpapitest.With(ex, "url", nil, "alias", "fresh"), http.StatusBadRequest, "url"},
		{"nothing", `{}`, http.StatusBadRequest, "url"},
		{"javascript", httpapitest.With(ex, "url", "javascript:alert(1)", "alias", nil), http.StatusBadRequest, "url"},
		{"data", httpapitest.With(ex, "url", "data:text/html,<script>alert(1)</script>", "alias", nil), http.StatusBadRequest, "url"},
		{"relative", httpapitest.With(ex, "url", "/docs/getting-started", "alias", nil), http.StatusBadRequest, "url"},
		{"no scheme", httpapitest.With(ex, "url", "example.com/docs", "alias", nil), http.StatusBadRequest, "url"},
		{"credentials", httpapitest.With(ex, "url", "https://user:pw@example.com/", "alias", nil), http.StatusBadRequest, "url"},
		{"self-pointing", httpapitest.With(ex, "url", publicURL+"/docs", "alias", nil), http.StatusBadRequest, "url"},
		{"alias with a space", httpapitest.With(ex, "alias", "my docs"), http.StatusBadRequest, "alias"},
		{"alias too short", httpapitest.With(ex, "alias", "ab"), http.StatusBadRequest, "alias"},
		{"alias is a route word", httpapitest.With(ex, "alias", "urls"), http.StatusBadRequest, "alias"},
		{"url is a number", httpapitest.With(ex, "url", 1), http.StatusBadRequest, "url"},
		{"bad expires_at", httpapitest.With(ex, "alias", nil, "expires_at", "tomorrow"), http.StatusBadRequest, "expires_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.Call(t, http.MethodPost, "/urls", tt.body, httpapitest.Bearer(pair.AccessToken))
			if r.Status != tt.status || httpapitest.FieldsOf(httpapitest.ErrorOf(t, r)) != tt.fields {
				t.Fatalf("= %d %s, want %d naming %q", r.Status, r.Body, tt.status, tt.fields)
			}
		})
	}
}

func TestURLsNeedAToken(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	for _, c := range []struct{ method, path string }{
		{http.MethodGet, "/urls"}, {http.MethodPost, "/urls"}, {http.MethodPut, "/urls/x1"}, {http.MethodDelete, "/urls/x1"},
		{http.MethodGet, "/users/me"}, {http.MethodDelete, "/users/me"},
	} {
		var body any
		if c.method == http.MethodPost || c.method == http.MethodPut {
			body = map[string]string{"url": "https://example.com/"}
		}
		for name, h := range map[string]http.Header{"no token": nil, "bad token": httpapitest.Bearer("x.y.z"), "basic": {"Authorization": {"Basic YTpi"}}} {
			if r := e.Call(t, c.method, c.path, body, h); r.Status != http.StatusUnauthorized || r.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s %s with %s = %d %s, want 401 with a challenge", c.method, c.path, name, r.Status, r.Body)
			}
		}
	}
}

// TestUpdateURL checks the decision on "url object with not-updated
// fields": PUT answers the link as it was before the update.
func TestUpdateURL(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	_, pair := signUp(t, e, "alice")
	old := createURL(t, e, pair.AccessToken, e.Example(t, http.MethodPost, "/urls"))
	other := createURL(t, e, pair.AccessToken, map[string]any{"url": "https://example.org/", "alias": "other"})
	visit(t, e, "/"+old.Alias, http.StatusFound)
	old.Redirects = 1

	ex := e.Example(t, http.MethodPut, "/urls/{id}")
	r := e.Call(t, http.MethodPut, "/urls/"+old.ID, ex, httpapitest.Bearer(pair.AccessToken))
	var answered urlObj
	r.JSON(t, &answered)
	if r.Status != http.StatusOK || answered != old {
		t.Fatalf("update = %d %s, want the link before the update %+v", r.Status, r.Body, old)
	}
	updated := urlObj{ID: old.ID, Alias: ex["alias"].(string), URL: ex["url"].(string), Redirects: 1}
	if got := listURLs(t, e, pair.AccessToken); len(got) != 2 || got[1] != updated {
		t.Fatalf("after update list = %+v, want %+v", got, updated)
	}
	visit(t, e, "/"+updated.Alias, http.StatusFound)
	visit(t, e, "/"+old.Alias, http.StatusNotFound)

	// Without alias the alias stays.
	r = e.Call(t, http.MethodPut, "/urls/"+old.ID, map[string]any{"url": "https://example.com/v3"}, httpapitest.Bearer(pair.AccessToken))
	if r.Status != http.StatusOK {
		t.Fatalf("update without alias = %d %s", r.Status, r.Body)
	}
	if got := listURLs(t, e, pair.AccessToken)[1]; got.Alias != updated.Alias || got.URL != "https://example.com/v3" {
		t.Fatalf("after update without alias = %+v", got)
	}

	tests := []struct {
		name   string
		id     string
		body   any
		status int
		fields string
	}{
		{"unknown id", "no-such-id", ex, http.StatusNotFound, ""},
		{"alias of another link", old.ID, httpapitest.With(ex, "alias", other.Alias), http.StatusConflict, ""},
		{"no url", old.ID, httpapitest.With(ex, "url", nil), http.StatusBadRequest, "url"},
		{"javascript", old.ID, httpapitest.With(ex, "url", "javascript:alert(1)"), http.StatusBadRequest, "url"},
		{"self-pointing", old.ID, httpapitest.With(ex, "url", publicURL+"/"+other.Alias), http.StatusBadRequest, "url"},
		{"bad alias", old.ID, httpapitest.With(ex, "alias", "a/b"), http.StatusBadRequest, "alias"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.Call(t, http.MethodPut, "/urls/"+tt.id, tt.body, httpapitest.Bearer(pair.AccessToken))
			if r.Status != tt.status || httpapitest.FieldsOf(httpapitest.ErrorOf(t, r)) != tt.fields {
				t.Fatalf("= %d %s, want %d naming %q", r.Status, r.Body, tt.status, tt.fields)
			}
		})
	}
}

func TestDeleteURL(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	_, pair := signUp(t, e, "alice")
	ex := e.Example(t, http.MethodPost, "/urls")
	u := createURL(t, e, pair.AccessToken, ex)

	r := e.Call(t, http.MethodDelete, "/urls/"+u.ID, nil, httpapitest.Bearer(pair.AccessToken))
	if r.Status != http.StatusOK || len(r.Body) != 0 {
		t.Fatalf("delete = %d %s", r.Status, r.Body)
	}
	if r := e.Call(t, http.MethodDelete, "/urls/"+u.ID, nil, httpapitest.Bearer(pair.AccessToken)); r.Status != http.StatusNotFound {
		t.Fatalf("second delete = %d %s, want 404", r.Status, r.Body)
	}
	visit(t, e, "/"+u.Alias, http.StatusNotFound)
	if got := listURLs(t, e, pair.AccessToken); len(got) != 0 {
		t.Fatalf("list after delete = %+v", got)
	}
	// The alias is free again.
	createURL(t, e, pair.AccessToken, ex)
}

// TestOwnership: user B can neither see, change nor delete user A's links.
func TestOwnership(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	_, alice := signUp(t, e, "alice")
	_, bob := signUp(t, e, "bob")
	ex := e.Example(t, http.MethodPost, "/urls")
	u := createURL(t, e, alice.AccessToken, ex)

	if got := listURLs(t, e, bob.AccessToken); len(got) != 0 {
		t.Fatalf("bob sees %+v", got)
	}
	r := e.Call(t, http.MethodPut, "/urls/"+u.ID, map[string]any{"url": "https://evil.example/", "alias": "evil"}, httpapitest.Bearer(bob.AccessToken))
	if r.Status != http.StatusForbidden || httpapitest.ErrorOf(t, r).Error.Message != "Forbidden. You are not owner of this URL." {
		t.Fatalf("bob's update = %d %s, want 403", r.Status, r.Body)
	}
	if r := e.Call(t, http.MethodDelete, "/urls/"+u.ID, nil, httpapitest.Bearer(bob.AccessToken)); r.Status != http.StatusForbidden {
		t.Fatalf("bob's delete = %d %s, want 403", r.Status, r.Body)
	}
	if got := listURLs(t, e, alice.AccessToken); len(got) != 1 || got[0] != u {
		t.Fatalf("alice's links after bob's attempts = %+v, want %+v", got, u)
	}
	if r := e.Call(t, http.MethodPost, "/urls", httpapitest.With(ex, "url", "https://evil.example/"), httpapitest.Bearer(bob.AccessToken)); r.Status != http.StatusConflict {
		t.Fatalf("bob taking alice's alias = %d %s, want 409", r.Status, r.Body)
	}
}

// TestConcurrentAlias: of 16 concurrent creations of one alias exactly one
// is 201, the others 409.
func TestConcurrentAlias(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	const n = 16
	pairs := make([]tokens, n)
	for i := range pairs {
		_, pairs[i] = signUp(t, e, fmt.Sprintf("user%02d", i))
	}
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			body := map[string]any{"url": fmt.Sprintf("https://example.com/%d", i), "alias": "contested"}
			statuses[i] = e.Call(t, http.MethodPost, "/urls", body, httpapitest.Bearer(pairs[i].AccessToken)).Status
		})
	}
	wg.Wait()
	count := map[int]int{}
	for _, s := range statuses {
		count[s]++
	}
	if count[http.StatusCreated] != 1 || count[http.StatusConflict] != n-1 {
		t.Fatalf("statuses = %v, want one 201 and %d 409", count, n-1)
	}
}
