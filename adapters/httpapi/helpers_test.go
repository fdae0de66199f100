package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/sessions"
)

// logBuffer collects JSON log lines safely from many goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines returns every logged record decoded.
func (b *logBuffer) lines(tb testing.TB) []map[string]any {
	tb.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.buf.String()), "\n") {
		if line == "" {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			tb.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, rec)
	}
	return out
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// env is a router under test with its log and metrics.
type env struct {
	handler http.Handler
	logs    *logBuffer
}

// newEnv builds a router with a fresh registry and a JSON log.
func newEnv(tb testing.TB, o httpapi.Options, d httpapi.Deps) *env {
	tb.Helper()
	logs := &logBuffer{}
	d.Log = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if d.Metrics == nil {
		m, err := httpapi.NewMetrics(prometheus.NewRegistry())
		if err != nil {
			tb.Fatal(err)
		}
		d.Metrics = m
	}
	h, err := httpapi.NewRouter(o, d)
	if err != nil {
		tb.Fatal(err)
	}
	return &env{handler: h, logs: logs}
}

// do serves one request and returns the recorded response.
func (e *env) do(tb testing.TB, method, target string, body io.Reader, header http.Header) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(method, target, body)
	for k, vs := range header {
		req.Header[k] = vs
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	return rec
}

// errorBody decodes the generic error shape.
func errorBody(tb testing.TB, rec *httptest.ResponseRecorder) httpapi.ErrorDetail {
	tb.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		tb.Fatalf("Content-Type = %q, want application/json (body %s)", ct, rec.Body)
	}
	var body httpapi.ErrorBody
	dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		tb.Fatalf("error body %s: %v", rec.Body, err)
	}
	return body.Error
}

// route mounts one handler at a path for the given methods.
func route(path string, h http.HandlerFunc, methods ...string) httpapi.Mounter {
	return httpapi.MounterFunc(func(r *mux.Router) {
		rt := r.HandleFunc(path, h)
		if len(methods) > 0 {
			rt.Methods(methods...)
		}
	})
}

// text answers a fixed string.
func text(s string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, s) }
}

// fakeSigner serves a fixed JWKS, or fails.
type fakeSigner struct {
	jwks []byte
	err  error
}

func (f fakeSigner) Sign(context.Context, sessions.Claims) (string, error) { return "", f.err }
func (f fakeSigner) Verify(context.Context, string, string) (sessions.Claims, error) {
	return sessions.Claims{}, f.err
}
func (f fakeSigner) JWKS(context.Context) ([]byte, error)         { return f.jwks, f.err }
func (f fakeSigner) PublicKeyPEM(context.Context) ([]byte, error) { return nil, f.err }
