package authv1_test

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"testing"

	"github.com/go-jose/go-jose/v4"

	"gatehouse/adapters/httpapi/authv1"
	"gatehouse/adapters/jwtsign"
)

// signUp registers the document's example user and signs in.
func signUp(tb testing.TB, e *env) (id string, pair tokens) {
	tb.Helper()
	var created struct{ ID string }
	if r := e.call(tb, http.MethodPost, "/v1/user", e.example(tb, http.MethodPost, "/v1/user"), nil); r.status != http.StatusCreated {
		tb.Fatalf("register = %d %s", r.status, r.body)
	} else {
		r.json(tb, &created)
	}
	r := e.call(tb, http.MethodPost, "/v1/auth/login", e.example(tb, http.MethodPost, "/v1/auth/login"), nil)
	if r.status != http.StatusOK {
		tb.Fatalf("login = %d %s", r.status, r.body)
	}
	r.json(tb, &pair)
	return created.ID, pair
}

func TestLogin(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	e.call(t, http.MethodPost, "/v1/user", e.example(t, http.MethodPost, "/v1/user"), nil)
	ex := e.example(t, http.MethodPost, "/v1/auth/login")

	r := e.call(t, http.MethodPost, "/v1/auth/login", ex, nil)
	var pair tokens
	r.json(t, &pair)
	if r.status != http.StatusOK || pair.AccessToken == "" || pair.RefreshToken == "" || pair.TokenType != "Bearer" {
		t.Fatalf("login = %d %s", r.status, r.body)
	}
	if cc := r.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", cc)
	}

	wrong := e.call(t, http.MethodPost, "/v1/auth/login", with(ex, "password", "not the password at all"), nil)
	unknown := e.call(t, http.MethodPost, "/v1/auth/login", with(ex, "username", "nobody@example.com"), nil)
	for name, r := range map[string]response{"wrong password": wrong, "unknown user": unknown} {
		if r.status != http.StatusUnauthorized || errorOf(t, r).Error.Code != "unauthenticated" {
			t.Errorf("%s = %d %s, want 401", name, r.status, r.body)
		}
	}
	if !bytes.Equal(wrong.body, unknown.body) {
		t.Errorf("an unknown user is told apart from a wrong password:\n%s\n%s", wrong.body, unknown.body)
	}

	tests := []struct {
		name   string
		body   any
		status int
		fields string
	}{
		{"no username", with(ex, "username", nil), http.StatusBadRequest, "username"},
		{"password is a number", with(ex, "password", 12345678), http.StatusBadRequest, "password"},
		{"unknown locale", with(ex, "locale", "fr"), http.StatusBadRequest, "locale"},
		{"malformed", `{"username"`, http.StatusBadRequest, ""},
		{"array", `[]`, http.StatusBadRequest, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.call(t, http.MethodPost, "/v1/auth/login", tt.body, nil)
			if r.status != tt.status || fieldsOf(errorOf(t, r)) != tt.fields {
				t.Fatalf("= %d %s, want %d naming %q", r.status, r.body, tt.status, tt.fields)
			}
		})
	}
}

func TestRefresh(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	_, first := signUp(t, e)

	r := e.call(t, http.MethodPost, "/v1/auth/refresh", map[string]string{"refresh_token": first.RefreshToken}, nil)
	var second tokens
	r.json(t, &second)
	if r.status != http.StatusOK || second.TokenType != "Bearer" || second.RefreshToken == first.RefreshToken ||
		second.AccessToken == "" {
		t.Fatalf("refresh = %d %s", r.status, r.body)
	}
	if r := e.call(t, http.MethodGet, "/v1/user/profile", nil, bearer(second.AccessToken)); r.status != http.StatusOK {
		t.Fatalf("profile with the refreshed access token = %d %s", r.status, r.body)
	}

	// Reusing the first token is theft: it fails and revokes the family.
	r = e.call(t, http.MethodPost, "/v1/auth/refresh", map[string]string{"refresh_token": first.RefreshToken}, nil)
	if r.status != http.StatusUnauthorized || errorOf(t, r).Error.Code != "unauthenticated" {
		t.Fatalf("reuse = %d %s, want 401", r.status, r.body)
	}
	r = e.call(t, http.MethodPost, "/v1/auth/refresh", map[string]string{"refresh_token": second.RefreshToken}, nil)
	if r.status != http.StatusUnauthorized {
		t.Fatalf("newest token of a revoked family = %d %s, want 401", r.status, r.body)
	}
	if r := e.call(t, http.MethodGet, "/v1/user/profile", nil, bearer(second.AccessToken)); r.status != http.StatusUnauthorized {
		t.Fatalf("access token of a revoked family = %d %s, want 401", r.status, r.body)
	}

	for name, body := range map[string]any{
		"unknown token": map[string]string{"refresh_token": "kq3X9v0n8WZ2mJr4Tq1YbLc7Hs5Ua6Pe2Dg0Fi9Oj3M"},
		"the example":   e.example(t, http.MethodPost, "/v1/auth/refresh"),
	} {
		if r := e.call(t, http.MethodPost, "/v1/auth/refresh", body, nil); r.status != http.StatusUnauthorized {
			t.Errorf("%s = %d %s, want 401", name, r.status, r.body)
		}
	}
	for name, body := range map[string]any{"missing": `{}`, "wrong type": `{"refresh_token":1}`} {
		r := e.call(t, http.MethodPost, "/v1/auth/refresh", body, nil)
		if r.status != http.StatusBadRequest || fieldsOf(errorOf(t, r)) != "refresh_token" {
			t.Errorf("%s = %d %s, want 400 naming refresh_token", name, r.status, r.body)
		}
	}
}

// TestPublicKey checks, for each algorithm, that the served PEM verifies an
// access token issued at login.
func TestPublicKey(t *testing.T) {
	for _, alg := range []string{jwtsign.EdDSA, jwtsign.ES256, jwtsign.RS256} {
		t.Run(alg, func(t *testing.T) {
			e := newEnv(t, alg, authv1.Options{})
			id, pair := signUp(t, e)

			r := e.call(t, http.MethodGet, "/v1/auth/publicKey", nil, nil)
			if r.status != http.StatusOK || r.header.Get("Content-Type") != "text/plain; charset=utf-8" {
				t.Fatalf("publicKey = %d %q", r.status, r.header.Get("Content-Type"))
			}
			block, _ := pem.Decode(r.body)
			if block == nil || block.Type != "PUBLIC KEY" {
				t.Fatalf("not a PUBLIC KEY PEM: %s", r.body)
			}
			pub, err := x509.ParsePKIXPublicKey(block.Bytes)
			if err != nil {
				t.Fatal(err)
			}
			jws, err := jose.ParseSigned(pair.AccessToken, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(alg)})
			if err != nil {
				t.Fatal(err)
			}
			payload, err := jws.Verify(pub)
			if err != nil {
				t.Fatalf("the public key does not verify the access token: %v", err)
			}
			var claims struct {
				Sub string `json:"sub"`
				Iss string `json:"iss"`
			}
			if err := json.Unmarshal(payload, &claims); err != nil || claims.Sub != id || claims.Iss != issuer {
				t.Fatalf("claims = %s, want sub %s", payload, id)
			}
		})
	}
}
