package vpnapi_test

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"gatehouse/adapters/httpapi/httpapitest"
	"gatehouse/adapters/httpapi/vpnapi"
)

// documentHeaders checks the headers the document shows on its answers.
func documentHeaders(tb testing.TB, r httpapitest.Response) {
	tb.Helper()
	if got := r.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		tb.Errorf("access-control-allow-origin = %q, want *", got)
	}
	if got := r.Header.Get("Cache-Control"); got != "no-cache, private" && got != "no-store, private" {
		tb.Errorf("cache-control = %q, want no-cache, private", got)
	}
}

func TestLoginAsTheDocumentShows(t *testing.T) {
	e := newEnv(t, vpnapi.Options{})
	e.grant(t, e.register(t, "anna"), 30, 3)
	token, device := e.login(t, "anna", "uuid-1-1-1")
	if token == "" {
		t.Fatal("no token")
	}
	if n, err := strconv.ParseInt(device, 10, 64); err != nil || n < 1 {
		t.Fatalf("device_id = %q, want the server's numeric id as a string", device)
	}
	if _, again := e.login(t, "anna", "uuid-1-1-1"); again != device {
		t.Fatalf("the same device signed in again got id %s, then %s", device, again)
	}

	tests := []struct {
		name   string
		body   any
		status int
		want   string
	}{
		{"wrong password", map[string]any{"email": "anna@example.com", "password": "nope-nope", "device_id": "d"},
			http.StatusUnauthorized, `{"error":"Неверный логин или пароль"}`},
		{"unknown account", map[string]any{"email": "nobody@example.com", "password": password, "device_id": "d"},
			http.StatusUnauthorized, `{"error":"Неверный логин или пароль"}`},
		{"no device", map[string]any{"email": "anna@example.com", "password": password},
			http.StatusUnprocessableEntity, `{"message":"The device id field is required.","errors":{"device_id":["The device id field is required."]}}`},
		{"nothing", map[string]any{},
			http.StatusUnprocessableEntity, `"message":"The email field is required. (and 2 more errors)"`},
		{"device id as a number", map[string]any{"email": "anna@example.com", "password": password, "device_id": 77},
			http.StatusOK, `"device_id":"`},
		{"device id as an object", map[string]any{"email": "anna@example.com", "password": password, "device_id": map[string]any{}},
			http.StatusUnprocessableEntity, `"errors":{"device_id"`},
		{"not JSON", "email=anna", http.StatusUnprocessableEntity, `"message":"Request body is not valid JSON`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.Call(t, http.MethodPost, "/api/login", tt.body, nil)
			if r.Status != tt.status || !strings.Contains(string(r.Body), tt.want) {
				t.Fatalf("= %d %s, want %d %s", r.Status, r.Body, tt.status, tt.want)
			}
			documentHeaders(t, r)
		})
	}
}

func TestUnauthenticatedIsTheDocumentsAnswer(t *testing.T) {
	e := newEnv(t, vpnapi.Options{})
	e.register(t, "boris")
	token, _ := e.login(t, "boris", "laptop")
	if r := e.Call(t, http.MethodPost, "/api/logout", nil, httpapitest.Bearer(token)); r.Status != http.StatusOK ||
		!bytes.Contains(r.Body, []byte(`{"message":"Выход из системы выполнен успешно"}`)) {
		t.Fatalf("logout = %d %s", r.Status, r.Body)
	}
	headers := map[string]http.Header{
		"no header":        nil,
		"unknown token":    httpapitest.Bearer("not-a-token"),
		"logged out token": httpapitest.Bearer(token),
		"basic scheme":     {"Authorization": {"Basic Ym9yaXM6cGFzcw=="}},
		"bare token":       {"Authorization": {token}},
	}
	calls := []struct{ method, path string }{
		{http.MethodPost, "/api/logout"}, {http.MethodGet, "/api/user"}, {http.MethodGet, "/api/subscription"},
		{http.MethodGet, "/api/userApp"}, {http.MethodPost, "/api/servers"}, {http.MethodPost, "/api/key"},
		{http.MethodGet, "/api/vpn/devices"}, {http.MethodDelete, "/api/vpn/devices/1"},
		{http.MethodPost, "/api/vpn/subscription-link"}, {http.MethodGet, "/api/vpn/agent/servers/1/peers"},
	}
	for name, h := range headers {
		for _, c := range calls {
			t.Run(name+" "+c.method+" "+c.path, func(t *testing.T) {
				var body any
				if c.method == http.MethodPost {
					body = map[string]any{"server_id": 1, "device_id": 1}
				}
				r := e.Call(t, c.method, c.path, body, h)
				if r.Status != http.StatusUnauthorized || string(bytes.TrimSpace(r.Body)) != `{"message":"Unauthenticated."}` {
					t.Fatalf("= %d %s, want 401 {\"message\":\"Unauthenticated.\"}", r.Status, r.Body)
				}
				if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
					t.Errorf("content-type = %q", ct)
				}
				documentHeaders(t, r)
			})
		}
	}
}

func TestPreflightForTheExtension(t *testing.T) {
	e := newEnv(t, vpnapi.Options{})
	for _, path := range []string{"/api/login", "/api/key", "/api/subscription", "/api/vpn/devices/7"} {
		t.Run(path, func(t *testing.T) {
			r := e.Call(t, http.MethodOptions, path, nil, http.Header{
				"Origin":                         {"chrome-extension://abcdefghijklmnop"},
				"Access-Control-Request-Method":  {"POST"},
				"Access-Control-Request-Headers": {"authorization,content-type"},
			})
			if r.Status != http.StatusNoContent {
				t.Fatalf("OPTIONS = %d %s", r.Status, r.Body)
			}
			h := r.Header
			if h.Get("Access-Control-Allow-Origin") != "*" || h.Get("Access-Control-Allow-Headers") != "authorization,content-type" ||
				!strings.Contains(h.Get("Access-Control-Allow-Methods"), "OPTIONS") {
				t.Fatalf("preflight headers %v", h)
			}
		})
	}
}

func TestLogoutEndsOnlyThatToken(t *testing.T) {
	e := newEnv(t, vpnapi.Options{})
	e.grant(t, e.register(t, "vera"), 30, 2)
	phone, _ := e.login(t, "vera", "phone")
	laptop, _ := e.login(t, "vera", "laptop")
	if r := e.Call(t, http.MethodPost, "/api/logout", nil, httpapitest.Bearer(phone)); r.Status != http.StatusOK {
		t.Fatalf("logout = %d %s", r.Status, r.Body)
	}
	if r := e.Call(t, http.MethodGet, "/api/user", nil, httpapitest.Bearer(phone)); r.Status != http.StatusUnauthorized {
		t.Fatalf("the ended token still works: %d", r.Status)
	}
	if r := e.Call(t, http.MethodGet, "/api/user", nil, httpapitest.Bearer(laptop)); r.Status != http.StatusOK {
		t.Fatalf("the other device's token was ended too: %d %s", r.Status, r.Body)
	}
}
