package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"gatehouse/adapters/httpapi"
)

func TestRequestID(t *testing.T) {
	var seen string
	h := func(w http.ResponseWriter, r *http.Request) {
		seen = httpapi.RequestID(r.Context())
		httpapi.Logger(r.Context()).Info("inside handler")
	}
	tests := []struct {
		name     string
		incoming string
		keep     bool
	}{
		{"none", "", false},
		{"sane", "3f2c1a9e-7b4d-4e6a-9c1f-2a8b7d6e5f40", true},
		{"with newline", "abc\ninjected", false},
		{"too long", strings.Repeat("a", 200), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, httpapi.Options{}, httpapi.Deps{Mounts: []httpapi.Mounter{route("/x", h)}})
			hdr := http.Header{}
			if tt.incoming != "" {
				hdr.Set(httpapi.HeaderRequestID, tt.incoming)
			}
			rec := e.do(t, http.MethodGet, "/x", nil, hdr)
			got := rec.Header().Get(httpapi.HeaderRequestID)
			if got == "" || got != seen {
				t.Fatalf("response id %q, handler saw %q", got, seen)
			}
			if (got == tt.incoming) != tt.keep {
				t.Fatalf("id = %q, incoming %q, want kept %v", got, tt.incoming, tt.keep)
			}
			lines := e.logs.lines(t)
			if len(lines) != 2 {
				t.Fatalf("want the handler's line and the access line, got %v", lines)
			}
			for _, l := range lines {
				if l["request_id"] != got {
					t.Errorf("log line %v lacks request_id %q", l, got)
				}
			}
		})
	}
}

// TestNewRequestIDs: ids made here are 128 bits in crypto/rand.Text's
// spelling (26 base32 characters), and do not repeat.
func TestNewRequestIDs(t *testing.T) {
	e := newEnv(t, httpapi.Options{}, httpapi.Deps{Mounts: []httpapi.Mounter{route("/x", text("ok"))}})
	seen := map[string]bool{}
	for range 1000 {
		id := e.do(t, http.MethodGet, "/x", nil, nil).Header().Get(httpapi.HeaderRequestID)
		if len(id) != 26 || strings.Trim(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") != "" {
			t.Fatalf("id %q: want 26 base32 characters", id)
		}
		if seen[id] {
			t.Fatalf("id %q made twice", id)
		}
		seen[id] = true
	}
}

func TestAccessLog(t *testing.T) {
	e := newEnv(t, httpapi.Options{}, httpapi.Deps{Mounts: []httpapi.Mounter{
		route("/v1/user/confirm/{code}", text("confirmed"), http.MethodGet),
	}})
	hdr := http.Header{"Authorization": {"Bearer s3cr3t-token"}}
	e.do(t, http.MethodGet, "/v1/user/confirm/987654", nil, hdr)

	lines := e.logs.lines(t)
	if len(lines) != 1 {
		t.Fatalf("want one access line, got %v", lines)
	}
	l := lines[0]
	want := map[string]any{"msg": "http request", "method": "GET", "route": "/v1/user/confirm/{code}",
		"status": float64(200), "bytes": float64(len("confirmed"))}
	for k, v := range want {
		if l[k] != v {
			t.Errorf("%s = %v, want %v", k, l[k], v)
		}
	}
	if _, ok := l["duration"]; !ok {
		t.Error("no duration")
	}
	if s := e.logs.String(); strings.Contains(s, "s3cr3t") || strings.Contains(s, "987654") {
		t.Fatalf("log carries a header or the raw path: %s", s)
	}
}

func TestPanicRecovery(t *testing.T) {
	boom := func(http.ResponseWriter, *http.Request) { panic("boom: secret detail") }
	e := newEnv(t, httpapi.Options{}, httpapi.Deps{Mounts: []httpapi.Mounter{route("/boom", boom)}})
	rec := e.do(t, http.MethodGet, "/boom", nil, nil)
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	if got := errorBody(t, rec); got.Code != "internal" || got.Message != "Internal error." {
		t.Fatalf("body = %+v", got)
	}
	if strings.Contains(rec.Body.String(), "secret") || strings.Contains(rec.Body.String(), "goroutine") {
		t.Fatalf("body leaks the panic: %s", rec.Body)
	}
	var found bool
	for _, l := range e.logs.lines(t) {
		if l["level"] == "ERROR" && strings.Contains(l["panic"].(string), "boom") {
			found = strings.Contains(l["stack"].(string), "goroutine")
		}
	}
	if !found {
		t.Fatalf("no error line with the panic and its stack: %s", e.logs)
	}
}

func TestBodyLimit(t *testing.T) {
	decode := func(w http.ResponseWriter, r *http.Request) {
		var v map[string]any
		if err := httpapi.DecodeJSON(r, &v); err != nil {
			httpapi.WriteError(w, r, err)
			return
		}
		httpapi.WriteJSON(w, http.StatusOK, v)
	}
	e := newEnv(t, httpapi.Options{MaxBodyBytes: 64}, httpapi.Deps{Mounts: []httpapi.Mounter{route("/echo", decode)}})

	small := `{"a":"` + strings.Repeat("x", 10) + `"}`
	if rec := e.do(t, http.MethodPost, "/echo", strings.NewReader(small), nil); rec.Code != http.StatusOK {
		t.Fatalf("small body: %d %s", rec.Code, rec.Body)
	}
	big := `{"a":"` + strings.Repeat("x", 100) + `"}`
	rec := e.do(t, http.MethodPost, "/echo", strings.NewReader(big), nil)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("big body: %d %s, want 413", rec.Code, rec.Body)
	}
	if got := errorBody(t, rec); got.Reason != httpapi.ReasonBodyTooLarge || !strings.Contains(got.Message, "64 bytes") {
		t.Fatalf("body = %+v", got)
	}
}

func TestClientIP(t *testing.T) {
	tests := []struct {
		name  string
		trust bool
		xff   []string
		want  string
	}{
		{"peer", false, nil, "192.0.2.1"},
		{"forwarded but untrusted", false, []string{"203.0.113.9"}, "192.0.2.1"},
		{"trusted proxy", true, []string{"198.51.100.7, 203.0.113.9"}, "203.0.113.9"},
		{"trusted, several headers", true, []string{"1.1.1.1", "203.0.113.10"}, "203.0.113.10"},
		{"trusted, garbage", true, []string{"not-an-ip"}, "192.0.2.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			h := func(_ http.ResponseWriter, r *http.Request) { got = httpapi.ClientIP(r) }
			e := newEnv(t, httpapi.Options{TrustProxy: tt.trust}, httpapi.Deps{Mounts: []httpapi.Mounter{route("/ip", h)}})
			hdr := http.Header{}
			if tt.xff != nil {
				hdr["X-Forwarded-For"] = tt.xff
			}
			e.do(t, http.MethodGet, "/ip", nil, hdr) // httptest's peer is 192.0.2.1
			if got != tt.want {
				t.Fatalf("ClientIP = %q, want %q", got, tt.want)
			}
		})
	}
}
