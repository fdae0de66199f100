package account_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"gatehouse/adapters/httpapi"
	"gatehouse/adapters/httpapi/account"
	"gatehouse/adapters/httpapi/httpapitest"
	"gatehouse/adapters/jwtsign"
	"gatehouse/adapters/memstore"
	"gatehouse/adapters/passhash"
	"gatehouse/core/identity"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/core/sessions"
	"gatehouse/core/sessions/sessionsvc"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

const issuer = "https://gatehouse.test"

// discard is a Notifier that delivers nothing: contract 004 sends no mail.
type discard struct{}

func (discard) Notify(context.Context, ports.Notification) error { return nil }

// env is the account frontend over the real use cases on memstore, with the
// OpenAPI document it serves.
type env struct {
	*httpapitest.Frontend
	users  *memstore.UserStore
	ids    *identitysvc.Service
	sess   *sessionsvc.Service
	prefix string
	ips    atomic.Int64 // hands each registration its own client address
}

// newEnv builds the frontend.
func newEnv(tb testing.TB, o account.Options) *env {
	tb.Helper()
	ctx := context.Background()
	clk := porttest.NewClock(time.Date(2024, 3, 7, 23, 32, 53, 818302000, time.UTC))
	hasher, err := passhash.New(passhash.Options{Memory: 64, Time: 1, Concurrency: 2})
	if err != nil {
		tb.Fatal(err)
	}
	cache := memstore.NewCache(clk)
	tb.Cleanup(func() { _ = cache.Close() })
	users := memstore.NewUserStore()
	signer, err := jwtsign.New(jwtsign.Options{Issuer: issuer}, memstore.NewKeyStore(), clk)
	if err != nil {
		tb.Fatal(err)
	}
	if err := signer.Start(ctx); err != nil {
		tb.Fatal(err)
	}
	sess, err := sessionsvc.New(sessionsvc.Deps{
		Store: memstore.NewSessionStore(), Signer: signer, Cache: cache, Clock: clk, Random: rand.Reader,
		Policy: sessions.Policy{Issuer: issuer, Audience: "account-test"},
	})
	if err != nil {
		tb.Fatal(err)
	}
	ids, err := identitysvc.New(identitysvc.Deps{
		Users: users, Hasher: hasher, Clock: clk, Random: rand.Reader,
		Challenges: memstore.NewChallengeStore(), Notifier: discard{}, Cache: cache, Sessions: sess,
		Links: ports.LinkRoutes{Base: "https://gatehouse.test", Paths: map[identity.Purpose]string{identity.PurposeEmailConfirm: "/v1/user/confirm/", identity.PurposePasswordReset: "/v1/user/confirm/"}},
	})
	if err != nil {
		tb.Fatal(err)
	}
	api, err := account.New(o, ids, ids, sess)
	if err != nil {
		tb.Fatal(err)
	}
	h, err := httpapi.NewRouter(httpapi.Options{}, httpapi.Deps{
		Log:    slog.New(slog.DiscardHandler),
		Mounts: []httpapi.Mounter{api},
	})
	if err != nil {
		tb.Fatal(err)
	}
	f := httpapitest.NewFrontend(tb, h, o.Prefix+"/openapi/account.json", "")
	return &env{Frontend: f, users: users, ids: ids, sess: sess, prefix: o.Prefix}
}

// response is one answer of the frontend.
type response = httpapitest.Response

// messageOf is the errorMessage of an error body, which must be the only key.
func messageOf(tb testing.TB, r response) string {
	tb.Helper()
	var body map[string]any
	r.JSON(tb, &body)
	msg, ok := body["errorMessage"].(string)
	if !ok || msg == "" || len(body) != 1 {
		tb.Fatalf("not an error body: %s", r.Body)
	}
	return msg
}

// call serves one request from the default client address and checks the
// response against the document.
func (e *env) call(tb testing.TB, method, path string, body any, header http.Header) response {
	tb.Helper()
	return e.callFrom(tb, "192.0.2.1", method, path, body, header)
}

// callFrom serves one request from ip and checks the response against the
// document: its status must be documented and its body must match the schema.
func (e *env) callFrom(tb testing.TB, ip, method, path string, body any, header http.Header) response {
	tb.Helper()
	// The caller's header comes last, so a test may name another browser.
	h := http.Header{"Browser": {"Firefox 128.0"}}
	for k, vs := range header {
		h[k] = vs
	}
	req := httpapitest.NewRequest(tb, method, e.prefix+path, body, h)
	req.RemoteAddr = ip + ":40000"
	return e.Do(tb, req)
}

// register registers body from an address of its own, so per-IP limits on
// registration never decide a test.
func (e *env) register(tb testing.TB, body any) response {
	tb.Helper()
	n := e.ips.Add(1)
	return e.callFrom(tb, fmt.Sprintf("198.51.%d.%d", n/250, n%250+1), http.MethodPost, "/account/registration", body, nil)
}

// named is a role or group in a profile.
type named struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// profile is the contract's profile object.
type profile struct {
	ID              int64    `json:"id"`
	Login           string   `json:"login"`
	Email           string   `json:"email"`
	FirstName       string   `json:"first_name"`
	LastName        string   `json:"last_name"`
	CreatedAt       string   `json:"created_at"`
	Description     string   `json:"description"`
	BackgroundColor string   `json:"background_color"`
	Birthday        string   `json:"birthday"`
	Patronymic      string   `json:"patronymic"`
	Avatar          string   `json:"avatar"`
	Groups          []named  `json:"groups"`
	Roles           []named  `json:"roles"`
	Permissions     []string `json:"permissions"`
	Token           string   `json:"token"`
}

// signUp registers the document's example and returns the profile.
func signUp(tb testing.TB, e *env) profile {
	tb.Helper()
	r := e.register(tb, e.Example(tb, http.MethodPost, "/account/registration"))
	if r.Status != http.StatusOK {
		tb.Fatalf("register the example = %d %s", r.Status, r.Body)
	}
	var p profile
	r.JSON(tb, &p)
	return p
}

// auth is an Authorization header carrying value.
func auth(value string) http.Header {
	return http.Header{"Authorization": {value}}
}

// Example is the document's example body of the operation at path, which
// the served document lists under the frontend's prefix.
func (e *env) Example(tb testing.TB, method, path string) map[string]any {
	tb.Helper()
	return e.Frontend.Example(tb, method, e.prefix+path)
}
