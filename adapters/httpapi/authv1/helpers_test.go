package authv1_test

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
	"gatehouse/adapters/httpapi/authv1"
	"gatehouse/adapters/jwtsign"
	"gatehouse/adapters/memstore"
	"gatehouse/adapters/passhash"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/core/sessions"
	"gatehouse/core/sessions/sessionsvc"
	"gatehouse/ports"
)

const (
	issuer   = "https://gatehouse.test"
	audience = "authv1-test"
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

// env is the authv1 frontend over the real use cases on memstore, with the
// OpenAPI document it serves, the session use cases (as an external
// service would call them) and the outbox of notifications.
type env struct {
	handler http.Handler
	signer  *jwtsign.Signer
	sess    ports.Sessions
	users   ports.Accounts
	mail    *outbox
	// recovery is the use case itself, for what contract 003 has no
	// endpoint for (sending an email confirmation).
	recovery ports.Recovery
	doc      *openapi3.T
	router   routers.Router
}

// deps are the use cases the frontend runs on.
type deps struct {
	identity *identitysvc.Service
	sessions *sessionsvc.Service
	signer   *jwtsign.Signer
	mail     *outbox
}

// newDeps builds the identity and session use cases on memstore, with
// tokens signed by alg and notifications kept in an outbox.
func newDeps(tb testing.TB, alg string) deps {
	tb.Helper()
	ctx := context.Background()
	clk := &clock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	hasher, err := passhash.New(passhash.Options{Memory: 64, Time: 1, Concurrency: 2})
	if err != nil {
		tb.Fatal(err)
	}
	signer, err := jwtsign.New(ctx, jwtsign.Options{Algorithm: alg, Issuer: issuer}, memstore.NewKeyStore(), clk)
	if err != nil {
		tb.Fatal(err)
	}
	cache := memstore.NewCache(clk)
	tb.Cleanup(func() { _ = cache.Close() })
	sess, err := sessionsvc.New(sessionsvc.Deps{
		Store: memstore.NewSessionStore(), Signer: signer, Cache: cache, Clock: clk, Random: rand.Reader,
		Policy: sessions.Policy{Issuer: issuer, Audience: audience},
	})
	if err != nil {
		tb.Fatal(err)
	}
	mail := &outbox{}
	ident, err := identitysvc.New(identitysvc.Deps{
		Users: memstore.NewUserStore(), Hasher: hasher, Clock: clk, Random: rand.Reader,
		Challenges: memstore.NewChallengeStore(), Notifier: mail, Cache: cache, Sessions: sess,
		PublicURL: "https://id.example.com",
	})
	if err != nil {
		tb.Fatal(err)
	}
	return deps{identity: ident, sessions: sess, signer: signer, mail: mail}
}

// newEnv builds the frontend with tokens signed by alg.
func newEnv(tb testing.TB, alg string, o authv1.Options) *env {
	tb.Helper()
	d := newDeps(tb, alg)
	o.Version, o.Commit = "v1.2.3", "3f2c1a9"
	api, err := authv1.New(o, d.identity, d.identity, d.identity, d.sessions, d.signer)
	if err != nil {
		tb.Fatal(err)
	}
	h, err := httpapi.NewRouter(httpapi.Options{}, httpapi.Deps{
		Log:    slog.New(slog.DiscardHandler),
		Signer: d.signer,
		Mounts: []httpapi.Mounter{api},
	})
	if err != nil {
		tb.Fatal(err)
	}
	e := &env{handler: h, signer: d.signer, sess: d.sessions, users: d.identity, mail: d.mail, recovery: d.identity}
	e.loadDoc(tb, o.Prefix)
	return e
}

// loadDoc fetches the served OpenAPI document and checks that it is valid.
func (e *env) loadDoc(tb testing.TB, prefix string) {
	tb.Helper()
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, prefix+"/openapi/authv1.json", nil))
	if rec.Code != http.StatusOK {
		tb.Fatalf("GET /openapi/authv1.json = %d", rec.Code)
	}
	doc, err := openapi3.NewLoader().LoadFromData(rec.Body.Bytes())
	if err != nil {
		tb.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		tb.Fatalf("openapi.json is not valid OpenAPI 3: %v", err)
	}
	if prefix != "" {
		doc.Servers = openapi3.Servers{{URL: prefix}}
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

// call serves one request and checks the response against the document:
// its status must be documented and its body must match the schema.
func (e *env) call(tb testing.TB, method, path string, body any, header http.Header) response {
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

// tokens is the body of login and refresh.
type tokens struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
}

// bearer is an Authorization header with the token.
func bearer(token string) http.Header {
	return http.Header{"Authorization": {"Bearer " + token}}
}
