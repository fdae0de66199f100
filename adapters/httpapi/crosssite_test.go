package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus"

	"gatehouse/adapters/httpapi"
)

// TestCredentialCookie: the cookie is a credential only for requests a
// browser did not send cross-site, or sent from a trusted origin; safe
// methods and requests without the cookie are never refused.
func TestCredentialCookie(t *testing.T) {
	echo := httpapi.MounterFunc(func(r *mux.Router) {
		r.HandleFunc("/session", func(w http.ResponseWriter, r *http.Request) {
			v, err := httpapi.CredentialCookie(r, "sid")
			if err != nil {
				httpapi.WriteError(w, r, err)
				return
			}
			httpapi.WriteJSON(w, http.StatusOK, map[string]string{"sid": v})
		})
	})
	e := newEnv(t, httpapi.Options{TrustedOrigins: []string{"https://app.example.com"}},
		httpapi.Deps{Mounts: []httpapi.Mounter{echo}})

	tests := []struct {
		name, method, cookie, origin, fetchSite string
		status                                  int
	}{
		{"evil origin", http.MethodPost, "sid=s1", "https://evil.example", "", http.StatusForbidden},
		{"cross-site", http.MethodPut, "sid=s1", "", "cross-site", http.StatusForbidden},
		{"trusted origin", http.MethodPost, "sid=s1", "https://app.example.com", "cross-site", http.StatusOK},
		{"own origin", http.MethodPost, "sid=s1", "http://example.com", "", http.StatusOK},
		{"no browser headers", http.MethodDelete, "sid=s1", "", "", http.StatusOK},
		{"safe method", http.MethodGet, "sid=s1", "https://evil.example", "cross-site", http.StatusOK},
		{"no cookie", http.MethodPost, "", "https://evil.example", "cross-site", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range map[string]string{"Cookie": tt.cookie, "Origin": tt.origin, "Sec-Fetch-Site": tt.fetchSite} {
				if v != "" {
					h.Set(k, v)
				}
			}
			rec := e.do(t, tt.method, "/session", nil, h)
			if rec.Code != tt.status {
				t.Fatalf("%s with %v = %d %s, want %d", tt.method, h, rec.Code, rec.Body, tt.status)
			}
			if rec.Code == http.StatusForbidden && errorBody(t, rec).Reason != httpapi.ReasonCrossSite {
				t.Errorf("body %s, want reason %s", rec.Body, httpapi.ReasonCrossSite)
			}
		})
	}
}

// TestTrustedOriginsAreChecked: a malformed trusted origin stops start-up.
func TestTrustedOriginsAreChecked(t *testing.T) {
	_, err := httpapi.NewRouter(httpapi.Options{TrustedOrigins: []string{"app.example.com/path"}}, httpapi.Deps{})
	if err == nil {
		t.Fatal("NewRouter with a malformed trusted origin: nil error")
	}
}

// TestHeaderLimit: a request whose headers exceed MaxHeaderBytes gets 431
// from the server before any handler runs.
func TestHeaderLimit(t *testing.T) {
	e := newEnv(t, httpapi.Options{}, httpapi.Deps{})
	srv := httpapi.NewServer(httpapi.Options{Addr: "127.0.0.1:0", MaxHeaderBytes: 16 << 10}, nil, e.handler)
	if err := srv.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop(t.Context()) })
	for _, tt := range []struct {
		size   int
		status int
	}{{8 << 10, http.StatusOK}, {64 << 10, http.StatusRequestHeaderFieldsTooLarge}, {512 << 10, http.StatusRequestHeaderFieldsTooLarge}} {
		req := httptest.NewRequest(http.MethodGet, "http://"+srv.Addr()+"/healthz", nil)
		req.RequestURI = ""
		req.Header.Set("X-Big", strings.Repeat("a", tt.size))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%d-byte header: %v", tt.size, err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("%d-byte header = %d, want %d", tt.size, resp.StatusCode, tt.status)
		}
	}
}

// TestAdminListener: with an admin listener /metrics leaves the public
// router, and the admin handler serves it with the profiler.
func TestAdminListener(t *testing.T) {
	e := newEnv(t, httpapi.Options{AdminAddr: "127.0.0.1:0"}, httpapi.Deps{})
	if rec := e.do(t, http.MethodGet, "/metrics", nil, nil); rec.Code != http.StatusNotFound {
		t.Fatalf("public /metrics with an admin listener = %d, want 404", rec.Code)
	}
	m, err := httpapi.NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	admin := httpapi.AdminHandler(m)
	for _, path := range []string{"/metrics", "/debug/pprof/", "/debug/pprof/cmdline"} {
		rec := httptest.NewRecorder()
		admin.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			t.Errorf("admin %s = %d", path, rec.Code)
		}
	}
}
