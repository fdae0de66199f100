package authv1_test

import (
	"context"
	"gatehouse/adapters/httpapi/httpapitest"
	"net/http"
	"slices"
	"strings"
	"testing"

	"gatehouse/adapters/httpapi/authv1"
	"gatehouse/adapters/jwtsign"
)

func TestStatus(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	r := e.Call(t, http.MethodGet, "/status", nil, nil)
	var body map[string]string
	r.JSON(t, &body)
	if r.Status != http.StatusOK || body["status"] != "ok" || body["version"] != "v1.2.3" || body["commit"] != "3f2c1a9" {
		t.Fatalf("GET /status = %d %s", r.Status, r.Body)
	}
}

func TestRegister(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	ex := e.Example(t, http.MethodPost, "/v1/user")

	r := e.Call(t, http.MethodPost, "/v1/user", ex, nil)
	var created struct{ ID string }
	r.JSON(t, &created)
	if r.Status != http.StatusCreated || created.ID == "" {
		t.Fatalf("register the example = %d %s", r.Status, r.Body)
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
		{"same login in other case", httpapitest.With(ex, "login", strings.ToUpper(ex["login"].(string))), nil, http.StatusConflict, "conflict", ""},
		{"malformed JSON", `{"login":`, nil, http.StatusBadRequest, "invalid", ""},
		{"trailing data", `{"login":"b@example.com","password":"correct horse battery staple"} {}`, nil, http.StatusBadRequest, "invalid", ""},
		{"empty body", "", nil, http.StatusBadRequest, "invalid", ""},
		{"login is a number", httpapitest.With(ex, "login", 42), nil, http.StatusBadRequest, "invalid", "login"},
		{"password is an object", httpapitest.With(ex, "password", map[string]any{"x": 1}), nil, http.StatusBadRequest, "invalid", "password"},
		{"no password", httpapitest.With(ex, "password", nil), nil, http.StatusBadRequest, "invalid", "password"},
		{"nothing at all", `{}`, nil, http.StatusBadRequest, "invalid", "login,password"},
		{"login not an email", httpapitest.With(ex, "login", "alice"), nil, http.StatusBadRequest, "invalid", "login"},
		{"bad email", httpapitest.With(ex, "login", "alice@"), nil, http.StatusBadRequest, "invalid", "login"},
		{"unknown locale", httpapitest.With(ex, "login", "c@example.com", "locale", "de"), nil, http.StatusBadRequest, "invalid", "locale"},
		{"short password", httpapitest.With(ex, "login", "d@example.com", "password", "short"), nil, http.StatusBadRequest, "invalid", "password"},
		{"form body", "login=x", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			http.StatusUnsupportedMediaType, "invalid", ""},
		{"JSON sent as text/plain", ex, http.Header{"Content-Type": {"text/plain"}},
			http.StatusUnsupportedMediaType, "invalid", ""},
		{"multipart body", "login=x", http.Header{"Content-Type": {"multipart/form-data; boundary=x"}},
			http.StatusUnsupportedMediaType, "invalid", ""},
		{"too large", `{"login":"` + strings.Repeat("x", 2<<20) + `"}`, nil, http.StatusRequestEntityTooLarge, "invalid", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.Call(t, http.MethodPost, "/v1/user", tt.body, tt.header)
			if r.Status != tt.status {
				t.Fatalf("status = %d, want %d: %s", r.Status, tt.status, r.Body)
			}
			got := httpapitest.ErrorOf(t, r)
			if got.Error.Code != tt.code || httpapitest.FieldsOf(got) != tt.fields {
				t.Fatalf("error = %s, want code %s fields %q", r.Body, tt.code, tt.fields)
			}
		})
	}

	// Extra fields are ignored and locale defaults; the account is usable.
	r = e.Call(t, http.MethodPost, "/v1/user", httpapitest.With(ex, "login", "e@example.com", "locale", nil, "source", nil, "referrer", "ads"), nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("register without optional fields = %d %s", r.Status, r.Body)
	}
}

func TestProfile(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	reg := httpapitest.With(e.Example(t, http.MethodPost, "/v1/user"), "locale", "ru")
	var created struct{ ID string }
	e.Call(t, http.MethodPost, "/v1/user", reg, nil).JSON(t, &created)
	var pair tokens
	e.Call(t, http.MethodPost, "/v1/auth/login", httpapitest.With(e.Example(t, http.MethodPost, "/v1/auth/login"), "locale", "ru"), nil).JSON(t, &pair)

	r := e.Call(t, http.MethodGet, "/v1/user/profile", nil, httpapitest.Bearer(pair.AccessToken))
	if r.Status != http.StatusOK {
		t.Fatalf("profile = %d %s", r.Status, r.Body)
	}
	var p struct {
		ID, Name, Locale string
		Addresses, Roles []string
	}
	r.JSON(t, &p)
	if p.ID != created.ID || p.Name != reg["login"] || p.Locale != "ru" {
		t.Fatalf("profile = %s, want id %s", r.Body, created.ID)
	}
	if !strings.Contains(string(r.Body), `"addresses":[]`) {
		t.Fatalf("no addresses must be an empty array, not null: %s", r.Body)
	}
	u, err := e.users.Profile(context.Background(), created.ID)
	if err != nil || !slices.Equal(p.Roles, u.Roles) || p.Roles == nil {
		t.Fatalf("roles = %v, want the user's %v (%v)", p.Roles, u.Roles, err)
	}

	for name, header := range map[string]http.Header{
		"no header":     nil,
		"garbage token": httpapitest.Bearer("not.a.token"),
		"empty bearer":  {"Authorization": {"Bearer "}},
		"basic scheme":  {"Authorization": {"Basic YWxpY2U6cHc="}},
		"refresh token": httpapitest.Bearer(pair.RefreshToken),
	} {
		t.Run(name, func(t *testing.T) {
			r := e.Call(t, http.MethodGet, "/v1/user/profile", nil, header)
			if r.Status != http.StatusUnauthorized || httpapitest.ErrorOf(t, r).Error.Code != "unauthenticated" {
				t.Fatalf("status = %d %s, want 401", r.Status, r.Body)
			}
			if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Fatalf("WWW-Authenticate = %q", r.Header.Get("WWW-Authenticate"))
			}
		})
	}
}

func TestPrefix(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{Prefix: "/auth"})
	if r := e.Call(t, http.MethodGet, "/auth/status", nil, nil); r.Status != http.StatusOK {
		t.Fatalf("GET /auth/status = %d", r.Status)
	}
	rec := e.Call(t, http.MethodPost, "/auth/v1/user", e.Example(t, http.MethodPost, "/auth/v1/user"), nil)
	if rec.Status != http.StatusCreated {
		t.Fatalf("POST /auth/v1/user = %d %s", rec.Status, rec.Body)
	}
}

// TestLoginLocaleBecomesTheAccounts: the locale sent at sign-in chooses
// the language of mail from then on, as the document says; none keeps it.
func TestLoginLocaleBecomesTheAccounts(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	var created struct{ ID string }
	e.Call(t, http.MethodPost, "/v1/user", httpapitest.With(e.Example(t, http.MethodPost, "/v1/user"), "locale", "en"), nil).JSON(t, &created)
	login := e.Example(t, http.MethodPost, "/v1/auth/login")
	for _, tt := range []struct{ sent, want string }{{"ru", "ru"}, {"", "ru"}, {"en", "en"}} {
		if r := e.Call(t, http.MethodPost, "/v1/auth/login", httpapitest.With(login, "locale", tt.sent), nil); r.Status != http.StatusOK {
			t.Fatalf("login with locale %q = %d %s", tt.sent, r.Status, r.Body)
		}
		u, err := e.users.Profile(context.Background(), created.ID)
		if err != nil || string(u.Locale) != tt.want {
			t.Fatalf("after a login with locale %q the account's is %q (%v), want %q", tt.sent, u.Locale, err, tt.want)
		}
	}
}
