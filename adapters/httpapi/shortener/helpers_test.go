package shortener_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"gatehouse/adapters/httpapi"
	"gatehouse/adapters/httpapi/shortener"
	"gatehouse/adapters/jwtsign"
	"gatehouse/adapters/lognotify"
	"gatehouse/adapters/memstore"
	"gatehouse/adapters/passhash"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/core/links/linksvc"
	"gatehouse/core/sessions"
	"gatehouse/core/sessions/sessionsvc"
	"gatehouse/ports"
)

const (
	issuer   = "https://gatehouse.test"
	audience = "shortener-test"
	// publicURL is where the tests' short links live.
	publicURL = "https://sho.rt"
)

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

// env is the shortener frontend over the real use cases on memstore, with
// the OpenAPI document it serves.
type env struct {
	handler   http.Handler
	clock     *clock
	users     *memstore.UserStore
	linkStore *memstore.LinkStore
	links     *linksvc.Service
	doc       *openapi3.T
	router    routers.Router
}

// newEnv builds the frontend with the options o (PublicURL defaults to
// publicURL).
func newEnv(tb testing.TB, o shortener.Options) *env {
	tb.Helper()
	ctx := context.Background()
	clk := &clock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	hasher, err := passhash.New(passhash.Options{Memory: 64, Time: 1, Concurrency: 2})
	if err != nil {
		tb.Fatal(err)
	}
	users := memstore.NewUserStore()
	cache := memstore.NewCache(clk)
	tb.Cleanup(func() { _ = cache.Close() })
	signer, err := jwtsign.New(ctx, jwtsign.Options{Algorithm: jwtsign.EdDSA, Issuer: issuer}, memstore.NewKeyStore(), clk)
	if err != nil {
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
	lnk := newLinks(tb, clk, cache, linkStore)
	accounts, err := identitysvc.New(identitysvc.Deps{
		Users: users, Hasher: hasher, Clock: clk, Random: rand.Reader,
		Challenges: memstore.NewChallengeStore(), Notifier: lognotify.New(slog.New(slog.DiscardHandler)),
		Cache: cache, Sessions: sess, Hooks: []ports.UserDeletionHook{sess, lnk}, PublicURL: publicURL,
	})
	if err != nil {
		tb.Fatal(err)
	}
	if o.PublicURL == "" {
		o.PublicURL = publicURL
	}
	if err := o.Validate(); err != nil {
		tb.Fatal(err)
	}
	h, err := httpapi.NewRouter(httpapi.Options{}, httpapi.Deps{
		Log:    slog.New(slog.DiscardHandler),
		Mounts: []httpapi.Mounter{shortener.New(o, accounts, accounts, sess, lnk)},
	})
	if err != nil {
		tb.Fatal(err)
	}
	e := &env{handler: h, clock: clk, users: users, linkStore: linkStore, links: lnk}
	e.loadDoc(tb, o.Prefix)
	return e
}

// loadDoc fetches the served OpenAPI document and checks that it is valid.
func (e *env) loadDoc(tb testing.TB, prefix string) {
	tb.Helper()
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, prefix+"/openapi/shortener.json", nil))
	if rec.Code != http.StatusOK {
		tb.Fatalf("GET %s/openapi/shortener.json = %d", prefix, rec.Code)
	}
	doc, err := openapi3.NewLoader().LoadFromData(rec.Body.Bytes())
	if err != nil {
		tb.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		tb.Fatalf("openapi.json is not valid OpenAPI 3: %v", err)
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
		tb.Fatalf("body %q: %v", r.body, err)
	}
}

// cookie returns the Set-Cookie of the refresh token, or nil.
func (r response) cookie() *http.Cookie {
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == "refresh_token" {
			return c
		}
	}
	return nil
}

// advance moves the clock on.
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// call serves one request and checks the response against the document:
// its status must be documented and its body must match the schema.
// header values are set on the request; a "Cookie" value is sent as is.
func (e *env) call(tb testing.TB, method, path string, body any, header http.Header) response {
	tb.Helper()
	req, resp := e.serve(tb, method, path, body, header)
	e.validate(tb, req, resp)
	return resp
}

// serve serves one request without checking it against the document, for
// paths the document rightly does not have.
func (e *env) serve(tb testing.TB, method, path string, body any, header http.Header) (*http.Request, response) {
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
	req := httptest.NewRequest(method, path, bytes.NewReader(raw))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
	for k, vs := range header {
		req.Header[k] = vs
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	return req, response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

// validate checks one response against the document.
func (e *env) validate(tb testing.TB, req *http.Request, resp response) {
	tb.Helper()
	route, params, err := e.router.FindRoute(req)
	if err != nil {
		tb.Fatalf("%s %s is not in openapi.json: %v", req.Method, req.URL, err)
	}
	opts := &openapi3filter.Options{IncludeResponseStatus: true}
	if resp.header.Get("Content-Type") == "image/png" {
		// kin-openapi has no decoder for images; the test checks the PNG.
		opts.ExcludeResponseBody = true
	}
	err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 resp.status,
		Header:                 resp.header,
		Body:                   io.NopCloser(bytes.NewReader(resp.body)),
		Options:                opts,
	})
	if err != nil {
		tb.Errorf("%s %s -> %d %s does not match openapi.json: %v", req.Method, req.URL, resp.status, resp.body, err)
	}
}

// example returns a copy of the request example the document gives for an
// operation, so tests walk the contract from its own examples.
func (e *env) example(tb testing.TB, method, path string) map[string]any {
	tb.Helper()
	item := e.doc.Paths.Find(path)
	if item == nil || item.GetOperation(method) == nil {
		tb.Fatalf("no operation %s %s in openapi.json", method, path)
	}
	ex := item.GetOperation(method).RequestBody.Value.Content.Get("application/json").Example
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

// apiError is the error shape.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Reason  string `json:"reason"`
		Message string `json:"message"`
		Fields  []struct {
			Field, Rule, Message string
		} `json:"fields"`
	} `json:"error"`
}

// errorOf decodes an error body.
func errorOf(tb testing.TB, r response) apiError {
	tb.Helper()
	var e apiError
	r.json(tb, &e)
	if e.Error.Code == "" || e.Error.Message == "" {
		tb.Fatalf("not an error body: %s", r.body)
	}
	return e
}

// fieldsOf lists the fields an error names.
func fieldsOf(e apiError) string {
	var names []string
	for _, f := range e.Error.Fields {
		names = append(names, f.Field)
	}
	return strings.Join(names, ",")
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

// bearer is an Authorization header with the token.
func bearer(token string) http.Header {
	return http.Header{"Authorization": {"Bearer " + token}}
}

// cookieHeader is a Cookie header carrying a refresh token.
func cookieHeader(token string) http.Header {
	return http.Header{"Cookie": {"refresh_token=" + token}}
}

// signUp registers a user named name (name@example.com) and signs in.
func signUp(tb testing.TB, e *env, name string) (user, tokens) {
	tb.Helper()
	reg := with(e.example(tb, http.MethodPost, "/auth/register"), "email", name+"@example.com", "username", name)
	r := e.call(tb, http.MethodPost, "/auth/register", reg, nil)
	if r.status != http.StatusCreated {
		tb.Fatalf("register %s = %d %s", name, r.status, r.body)
	}
	var u user
	r.json(tb, &u)
	return u, signIn(tb, e, name)
}

// signIn signs in as name and returns the pair.
func signIn(tb testing.TB, e *env, name string) tokens {
	tb.Helper()
	login := with(e.example(tb, http.MethodPost, "/auth/login"), "email", name+"@example.com")
	r := e.call(tb, http.MethodPost, "/auth/login", login, nil)
	if r.status != http.StatusOK {
		tb.Fatalf("login %s = %d %s", name, r.status, r.body)
	}
	var pair tokens
	r.json(tb, &pair)
	return pair
}
