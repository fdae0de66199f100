package account_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"gatehouse/adapters/httpapi"
	"gatehouse/adapters/httpapi/account"
	"gatehouse/adapters/jwtsign"
	"gatehouse/adapters/memstore"
	"gatehouse/adapters/passhash"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/core/sessions"
	"gatehouse/core/sessions/sessionsvc"
	"gatehouse/ports"
)

const issuer = "https://gatehouse.test"

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// discard is a Notifier that delivers nothing: contract 004 sends no mail.
type discard struct{}

func (discard) Notify(context.Context, ports.Notification) error { return nil }

// env is the account frontend over the real use cases on memstore, with the
// OpenAPI document it serves.
type env struct {
	handler http.Handler
	users   *memstore.UserStore
	ids     *identitysvc.Service
	sess    *sessionsvc.Service
	doc     *openapi3.T
	router  routers.Router
	prefix  string
	ips     atomic.Int64 // hands each registration its own client address
}

// newEnv builds the frontend.
func newEnv(tb testing.TB, o account.Options) *env {
	tb.Helper()
	ctx := context.Background()
	clk := &clock{now: time.Date(2024, 3, 7, 23, 32, 53, 818302000, time.UTC)}
	hasher, err := passhash.New(passhash.Options{Memory: 64, Time: 1, Concurrency: 2})
	if err != nil {
		tb.Fatal(err)
	}
	cache := memstore.NewCache(clk)
	tb.Cleanup(func() { _ = cache.Close() })
	users := memstore.NewUserStore()
	signer, err := jwtsign.New(ctx, jwtsign.Options{Issuer: issuer}, memstore.NewKeyStore(), clk)
	if err != nil {
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
		PublicURL: "https://gatehouse.test",
	})
	if err != nil {
		tb.Fatal(err)
	}
	h, err := httpapi.NewRouter(httpapi.Options{}, httpapi.Deps{
		Log:    slog.New(slog.DiscardHandler),
		Mounts: []httpapi.Mounter{account.New(o, ids, ids, sess)},
	})
	if err != nil {
		tb.Fatal(err)
	}
	e := &env{handler: h, users: users, ids: ids, sess: sess, prefix: o.Prefix}
	e.loadDoc(tb)
	return e
}

// loadDoc fetches the served OpenAPI document and checks that it is valid.
func (e *env) loadDoc(tb testing.TB) {
	tb.Helper()
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, e.prefix+"/openapi/account.json", nil))
	if rec.Code != http.StatusOK {
		tb.Fatalf("GET /openapi/account.json = %d", rec.Code)
	}
	doc, err := openapi3.NewLoader().LoadFromData(rec.Body.Bytes())
	if err != nil {
		tb.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		tb.Fatalf("openapi.json is not valid OpenAPI 3: %v", err)
	}
	if e.prefix != "" {
		doc.Servers = openapi3.Servers{{URL: e.prefix}}
	}
	if e.router, err = gorillamux.NewRouter(doc); err != nil {
		tb.Fatal(err)
	}
	e.doc = doc
}

// response is one answer of the frontend.
type response struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into v.
func (r response) json(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		tb.Fatalf("body %s: %v", r.body, err)
	}
}

// message is the errorMessage of an error body, which must be the only key.
func (r response) message(tb testing.TB) string {
	tb.Helper()
	var body map[string]any
	r.json(tb, &body)
	msg, ok := body["errorMessage"].(string)
	if !ok || msg == "" || len(body) != 1 {
		tb.Fatalf("not an error body: %s", r.body)
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
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			tb.Fatal(err)
		}
	}
	req := httptest.NewRequest(method, e.prefix+path, bytes.NewReader(raw))
	req.RemoteAddr = ip + ":40000"
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
	req.Header.Set("browser", "Firefox 128.0")
	for k, vs := range header {
		req.Header[k] = vs
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	resp := response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}

	route, params, err := e.router.FindRoute(req)
	if err != nil {
		tb.Fatalf("%s %s is not in openapi.json: %v", method, path, err)
	}
	err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 resp.status,
		Header:                 resp.header,
		Body:                   io.NopCloser(bytes.NewReader(resp.body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	})
	if err != nil {
		tb.Errorf("%s %s -> %d %s does not match openapi.json: %v", method, path, resp.status, resp.body, err)
	}
	return resp
}

// register registers body from an address of its own, so per-IP limits on
// registration never decide a test.
func (e *env) register(tb testing.TB, body any) response {
	tb.Helper()
	n := e.ips.Add(1)
	return e.callFrom(tb, fmt.Sprintf("198.51.%d.%d", n/250, n%250+1), http.MethodPost, "/account/registration", body, nil)
}

// example returns a copy of the request example the document gives for an
// operation, so tests walk the contract from its own examples.
func (e *env) example(tb testing.TB, method, path string) map[string]any {
	tb.Helper()
	op := e.doc.Paths.Find(path).GetOperation(method)
	ex := op.RequestBody.Value.Content.Get("application/json").Example
	raw, err := json.Marshal(ex)
	if err != nil {
		tb.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		tb.Fatal(err)
	}
	return out
}

// with returns m with the given keys replaced; a nil value deletes the key.
func with(m map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
			continue
		}
		out[kv[i].(string)] = kv[i+1]
	}
	return out
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
	r := e.register(tb, e.example(tb, http.MethodPost, "/account/registration"))
	if r.status != http.StatusOK {
		tb.Fatalf("register the example = %d %s", r.status, r.body)
	}
	var p profile
	r.json(tb, &p)
	return p
}

// auth is an Authorization header carrying value.
func auth(value string) http.Header {
	return http.Header{"Authorization": {value}}
}
