package authv1_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"gatehouse/adapters/httpapi/authv1"
	"gatehouse/adapters/jwtsign"
)

func TestStatus(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	r := e.call(t, http.MethodGet, "/status", nil, nil)
	var body map[string]string
	r.json(t, &body)
	if r.status != http.StatusOK || body["status"] != "ok" || body["version"] != "v1.2.3" || body["commit"] != "3f2c1a9" {
		t.Fatalf("GET /status = %d %s", r.status, r.body)
	}
}

func TestRegister(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	ex := e.example(t, http.MethodPost, "/v1/user")

	r := e.call(t, http.MethodPost, "/v1/user", ex, nil)
	var created struct{ ID string }
	r.json(t, &created)
	if r.status != http.StatusCreated || created.ID == "" {
		t.Fatalf("register the example = %d %s", r.status, r.body)
	}

	tests := []struct {
		name   string
		body   any
		header http.Header
		status int
		code   string
		fields string // the fields the error names, comma-separated
	}{
		{"same login again", ex, nil, http.StatusConflict, "conflict", ""},
		{"same login in other case", with(ex, "login", strings.ToUpper(ex["login"].(string))), nil, http.StatusConflict, "conflict", ""},
		{"malformed JSON", `{"login":`, nil, http.StatusBadRequest, "invalid", ""},
		{"trailing data", `{"login":"b@example.com","password":"correct horse battery staple"} {}`, nil, http.StatusBadRequest, "invalid", ""},
		{"empty body", "", nil, http.StatusBadRequest, "invalid", ""},
		{"login is a number", with(ex, "login", 42), nil, http.StatusBadRequest, "invalid", "login"},
		{"password is an object", with(ex, "password", map[string]any{"x": 1}), nil, http.StatusBadRequest, "invalid", "password"},
		{"no password", with(ex, "password", nil), nil, http.StatusBadRequest, "invalid", "password"},
		{"nothing at all", `{}`, nil, http.StatusBadRequest, "invalid", "login,password"},
		{"login not an email", with(ex, "login", "alice"), nil, http.StatusBadRequest, "invalid", "login"},
		{"bad email", with(ex, "login", "alice@"), nil, http.StatusBadRequest, "invalid", "login"},
		{"unknown locale", with(ex, "login", "c@example.com", "locale", "de"), nil, http.StatusBadRequest, "invalid", "locale"},
		{"short password", with(ex, "login", "d@example.com", "password", "short"), nil, http.StatusBadRequest, "invalid", "password"},
		{"form body", "login=x", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			http.StatusBadRequest, "invalid", ""},
		{"multipart body", "login=x", http.Header{"Content-Type": {"multipart/form-data; boundary=x"}},
			http.StatusUnsupportedMediaType, "invalid", ""},
		{"too large", `{"login":"` + strings.Repeat("x", 2<<20) + `"}`, nil, http.StatusRequestEntityTooLarge, "invalid", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.call(t, http.MethodPost, "/v1/user", tt.body, tt.header)
			if r.status != tt.status {
				t.Fatalf("status = %d, want %d: %s", r.status, tt.status, r.body)
			}
			got := errorOf(t, r)
			if got.Error.Code != tt.code || fieldsOf(got) != tt.fields {
				t.Fatalf("error = %s, want code %s fields %q", r.body, tt.code, tt.fields)
			}
		})
	}

	// Extra fields are ignored and locale defaults; the account is usable.
	r = e.call(t, http.MethodPost, "/v1/user", with(ex, "login", "e@example.com", "locale", nil, "source", nil, "referrer", "ads"), nil)
	if r.status != http.StatusCreated {
		t.Fatalf("register without optional fields = %d %s", r.status, r.body)
	}
}

func TestProfile(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	reg := with(e.example(t, http.MethodPost, "/v1/user"), "locale", "ru")
	var created struct{ ID string }
	e.call(t, http.MethodPost, "/v1/user", reg, nil).json(t, &created)
	var pair tokens
	e.call(t, http.MethodPost, "/v1/auth/login", e.example(t, http.MethodPost, "/v1/auth/login"), nil).json(t, &pair)

	r := e.call(t, http.MethodGet, "/v1/user/profile", nil, bearer(pair.AccessToken))
	if r.status != http.StatusOK {
		t.Fatalf("profile = %d %s", r.status, r.body)
	}
	var p struct {
		ID, Name, Locale string
		Addresses, Roles []string
	}
	r.json(t, &p)
	if p.ID != created.ID || p.Name != reg["login"] || p.Locale != "ru" {
		t.Fatalf("profile = %s, want id %s", r.body, created.ID)
	}
	if !strings.Contains(string(r.body), `"addresses":[]`) {
		t.Fatalf("no addresses must be an empty array, not null: %s", r.body)
	}
	u, err := e.users.Profile(context.Background(), created.ID)
	if err != nil || !slices.Equal(p.Roles, u.Roles) || p.Roles == nil {
		t.Fatalf("roles = %v, want the user's %v (%v)", p.Roles, u.Roles, err)
	}

	for name, header := range map[string]http.Header{
		"no header":     nil,
		"garbage token": bearer("not.a.token"),
		"empty bearer":  {"Authorization": {"Bearer "}},
		"basic scheme":  {"Authorization": {"Basic YWxpY2U6cHc="}},
		"refresh token": bearer(pair.RefreshToken),
	} {
		t.Run(name, func(t *testing.T) {
			r := e.call(t, http.MethodGet, "/v1/user/profile", nil, header)
			if r.status != http.StatusUnauthorized || errorOf(t, r).Error.Code != "unauthenticated" {
				t.Fatalf("status = %d %s, want 401", r.status, r.body)
			}
			if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
				t.Fatalf("WWW-Authenticate = %q", r.header.Get("WWW-Authenticate"))
			}
		})
	}
}

func TestPrefix(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{Prefix: "/auth"})
	if r := e.call(t, http.MethodGet, "/auth/status", nil, nil); r.status != http.StatusOK {
		t.Fatalf("GET /auth/status = %d", r.status)
	}
	rec := e.call(t, http.MethodPost, "/auth/v1/user", e.example(t, http.MethodPost, "/v1/user"), nil)
	if rec.status != http.StatusCreated {
		t.Fatalf("POST /auth/v1/user = %d %s", rec.status, rec.body)
	}
}
