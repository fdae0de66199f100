package shortener_test

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"gatehouse/adapters/httpapi"
	"gatehouse/adapters/httpapi/httpapitest"
	"gatehouse/adapters/httpapi/shortener"
	"gatehouse/adapters/jwtsign"
	"gatehouse/adapters/lognotify"
	"gatehouse/adapters/memstore"
	"gatehouse/adapters/passhash"
	"gatehouse/core/identity"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/core/links/linksvc"
	"gatehouse/core/sessions"
	"gatehouse/core/sessions/sessionsvc"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

const (
	issuer   = "https://gatehouse.test"
	audience = "shortener-test"
	// publicURL is where the tests' short links live.
	publicURL = "https://sho.rt"
)

// env is the shortener frontend over the real use cases on memstore, with
// the OpenAPI document it serves.
type env struct {
	*httpapitest.Frontend
	clock     *porttest.Clock
	users     *memstore.UserStore
	linkStore *memstore.LinkStore
	links     *linksvc.Service
	redirects ports.RedirectCounter // counts of links without a budget, flushed by Close
	api       *shortener.API
}

// newEnv builds the frontend with the options o (PublicURL defaults to
// publicURL).
func newEnv(tb testing.TB, o shortener.Options) *env {
	tb.Helper()
	ctx := context.Background()
	clk := porttest.NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	hasher, err := passhash.New(passhash.Options{Memory: 64, Time: 1, Concurrency: 2})
	if err != nil {
		tb.Fatal(err)
	}
	users := memstore.NewUserStore()
	cache := memstore.NewCache(clk)
	tb.Cleanup(func() { _ = cache.Close() })
	signer, err := jwtsign.New(jwtsign.Options{Algorithm: jwtsign.EdDSA, Issuer: issuer}, memstore.NewKeyStore(), clk)
	if err != nil {
		tb.Fatal(err)
	}
	if err := signer.Start(ctx); err != nil {
		tb.Fatal(err)
	}
	sess, err := sessionsvc.New(sessionsvc.Deps{
		Store: memstore.NewSessionStore(), Signer: signer, Cache: cache, Clock: clk, Random: rand.Reader,
		Policy: sessions.Policy{Issuer: issuer, Audience: audience},
	})
	if err != nil {
		tb.Fatal(err)
	}
	linkStore := memstore.NewLinkStore()
	lnk, redirects := newLinks(tb, clk, cache, linkStore)
	accounts, err := identitysvc.New(identitysvc.Deps{
		Users: users, Hasher: hasher, Clock: clk, Random: rand.Reader,
		Challenges: memstore.NewChallengeStore(), Notifier: lognotify.New(slog.New(slog.DiscardHandler)),
		Cache: cache, Sessions: sess, Hooks: []ports.UserDeletionHook{sess, lnk},
		Links: ports.LinkRoutes{Base: publicURL, Paths: map[identity.Purpose]string{identity.PurposeEmailConfirm: "/v1/user/confirm/", identity.PurposePasswordReset: "/v1/user/confirm/"}},
	})
	if err != nil {
		tb.Fatal(err)
	}
	if o.PublicURL == "" {
		o.PublicURL = publicURL
	}
	api, err := shortener.New(o, accounts, accounts, sess, lnk)
	if err != nil {
		tb.Fatal(err)
	}
	h, err := httpapi.NewRouter(httpapi.Options{}, httpapi.Deps{
		Log:    slog.New(slog.DiscardHandler),
		Mounts: []httpapi.Mounter{api, api.Redirects()},
	})
	if err != nil {
		tb.Fatal(err)
	}
	f := httpapitest.NewFrontend(tb, h, o.Prefix+"/openapi/shortener.json", "")
	return &env{Frontend: f, clock: clk, users: users, linkStore: linkStore, links: lnk, redirects: redirects, api: api}
}

// response is one answer of the frontend.
type response = httpapitest.Response

// cookieOf returns the Set-Cookie of the refresh token, or nil.
func cookieOf(r response) *http.Cookie {
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == "refresh_token" {
			return c
		}
	}
	return nil
}

// tokens is the token pair object.
type tokens struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
}

// user is the user object.
type user struct {
	ID         string `json:"id"`
	Username   string `json:"username"`
	Email      string `json:"email"`
	TelegramID string `json:"telegram_id"`
}

// cookieHeader is a Cookie header carrying a refresh token.
func cookieHeader(token string) http.Header {
	return http.Header{"Cookie": {"refresh_token=" + token}}
}

// signUp registers a user named name (name@example.com) and signs in.
func signUp(tb testing.TB, e *env, name string) (user, tokens) {
	tb.Helper()
	reg := httpapitest.With(e.Example(tb, http.MethodPost, "/auth/register"), "email", name+"@example.com", "username", name)
	r := e.Call(tb, http.MethodPost, "/auth/register", reg, nil)
	if r.Status != http.StatusCreated {
		tb.Fatalf("register %s = %d %s", name, r.Status, r.Body)
	}
	var u user
	r.JSON(tb, &u)
	return u, signIn(tb, e, name)
}

// signIn signs in as name and returns the pair.
func signIn(tb testing.TB, e *env, name string) tokens {
	tb.Helper()
	login := httpapitest.With(e.Example(tb, http.MethodPost, "/auth/login"), "email", name+"@example.com")
	r := e.Call(tb, http.MethodPost, "/auth/login", login, nil)
	if r.Status != http.StatusOK {
		tb.Fatalf("login %s = %d %s", name, r.Status, r.Body)
	}
	var pair tokens
	r.JSON(tb, &pair)
	return pair
}
