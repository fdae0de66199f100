package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gatehouse/adapters/httpapi"
)

func TestHealthz(t *testing.T) {
	e := newEnv(t, httpapi.Options{}, httpapi.Deps{})
	rec := e.do(t, http.MethodGet, "/healthz", nil, nil)
	if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != `{"status":"ok"}` {
		t.Fatalf("GET /healthz = %d %s", rec.Code, rec.Body)
	}
}

func TestReadyz(t *testing.T) {
	ok := func(context.Context) error { return nil }
	secret := errors.New("dial mongodb://admin:hunter2@db:27017: connection refused")
	failing := func(context.Context) error { return secret }
	hanging := func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }

	tests := []struct {
		name   string
		checks []httpapi.Check
		status int
		want   map[string]string
		ready  string
	}{
		{"all ok", []httpapi.Check{{Name: "storage", Ping: ok}, {Name: "cache", Ping: ok}}, http.StatusOK,
			map[string]string{"storage": "ok", "cache": "ok"}, "ready"},
		{"no checks", nil, http.StatusOK, map[string]string{}, "ready"},
		{"cache down", []httpapi.Check{{Name: "storage", Ping: ok}, {Name: "cache", Ping: failing}}, http.StatusServiceUnavailable,
			map[string]string{"storage": "ok", "cache": "unavailable"}, "unready"},
		{"storage hangs", []httpapi.Check{{Name: "storage", Ping: hanging}, {Name: "cache", Ping: ok}}, http.StatusServiceUnavailable,
			map[string]string{"storage": "timeout", "cache": "ok"}, "unready"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, httpapi.Options{ReadyTimeout: 20 * time.Millisecond}, httpapi.Deps{Checks: tt.checks})
			rec := e.do(t, http.MethodGet, "/readyz", nil, nil)
			if rec.Code != tt.status {
				t.Fatalf("status = %d, want %d (%s)", rec.Code, tt.status, rec.Body)
			}
			if strings.Contains(rec.Body.String(), "hunter2") {
				t.Fatalf("body leaks the raw error: %s", rec.Body)
			}
			var body struct {
				Status string            `json:"status"`
				Checks map[string]string `json:"checks"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if body.Status != tt.ready || len(body.Checks) != len(tt.want) {
				t.Fatalf("body = %+v, want status %q checks %v", body, tt.ready, tt.want)
			}
			for k, v := range tt.want {
				if body.Checks[k] != v {
					t.Errorf("checks[%q] = %q, want %q", k, body.Checks[k], v)
				}
			}
		})
	}
}

// TestReadyzProbesAtMostEvery: a check with Every runs at most once per
// interval (a storage write probe), repeating its last result between runs,
// and sees the storage come back once the interval has passed.
func TestReadyzProbesAtMostEvery(t *testing.T) {
	var calls atomic.Int32
	var down atomic.Bool
	down.Store(true)
	probe := func(context.Context) error {
		calls.Add(1)
		if down.Load() {
			return errors.New("database or disk is full")
		}
		return nil
	}
	e := newEnv(t, httpapi.Options{}, httpapi.Deps{Checks: []httpapi.Check{
		{Name: "storage", Ping: probe, Every: 50 * time.Millisecond}}})
	for range 5 {
		if rec := e.do(t, http.MethodGet, "/readyz", nil, nil); rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("readyz with a full storage = %d %s", rec.Code, rec.Body)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("5 readiness checks within the interval probed %d times, want 1", n)
	}
	down.Store(false)
	deadline := time.Now().Add(10 * time.Second)
	for e.do(t, http.MethodGet, "/readyz", nil, nil).Code != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("readyz never recovered after the storage did")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestJWKS(t *testing.T) {
	set := []byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"abc"}]}`)
	e := newEnv(t, httpapi.Options{}, httpapi.Deps{Signer: fakeSigner{jwks: set}})
	rec := e.do(t, http.MethodGet, "/.well-known/jwks.json", nil, nil)
	if rec.Code != http.StatusOK || rec.Body.String() != string(set) {
		t.Fatalf("GET jwks = %d %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/jwk-set+json" {
		t.Errorf("Content-Type = %q", ct)
	}
	if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "max-age=300") {
		t.Errorf("Cache-Control = %q", cc)
	}

	e = newEnv(t, httpapi.Options{}, httpapi.Deps{Signer: fakeSigner{err: errors.New("store down")}})
	rec = e.do(t, http.MethodGet, "/.well-known/jwks.json", nil, nil)
	if rec.Code != http.StatusServiceUnavailable || errorBody(t, rec).Code != "unavailable" {
		t.Fatalf("failing signer: %d %s", rec.Code, rec.Body)
	}
	if strings.Contains(rec.Body.String(), "store down") {
		t.Fatalf("body leaks the cause: %s", rec.Body)
	}

	e = newEnv(t, httpapi.Options{}, httpapi.Deps{})
	if rec := e.do(t, http.MethodGet, "/.well-known/jwks.json", nil, nil); rec.Code != http.StatusNotFound {
		t.Fatalf("no signer: %d, want 404", rec.Code)
	}
}

func TestMetricsByTemplate(t *testing.T) {
	e := newEnv(t, httpapi.Options{}, httpapi.Deps{Mounts: []httpapi.Mounter{
		route("/v1/items/{id}", text("item"), http.MethodGet),
	}})
	for _, p := range []string{"/v1/items/1", "/v1/items/2", "/no/such/path"} {
		e.do(t, http.MethodGet, p, nil, nil)
	}
	e.do(t, "BREW", "/v1/items/3", nil, nil)
	rec := e.do(t, http.MethodGet, "/metrics", nil, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics = %d", rec.Code)
	}
	out := rec.Body.String()
	for _, want := range []string{
		`http_requests_total{method="GET",route="/v1/items/{id}",status="200"} 2`,
		`http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`http_requests_total{method="other",route="unmatched",status="405"} 1`,
		`http_request_duration_seconds_count{method="GET",route="/v1/items/{id}"} 2`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, raw := range []string{"/v1/items/1", "/no/such/path"} {
		if strings.Contains(out, `"`+raw+`"`) {
			t.Errorf("metrics carry the raw path %s", raw)
		}
	}
}
