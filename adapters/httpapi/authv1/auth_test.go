package authv1_test

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"gatehouse/adapters/httpapi/httpapitest"
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
	if r := e.Call(tb, http.MethodPost, "/v1/user", e.Example(tb, http.MethodPost, "/v1/user"), nil); r.Status != http.StatusCreated {
		tb.Fatalf("register = %d %s", r.Status, r.Body)
	} else {
		r.JSON(tb, &created)
	}
	r := e.Call(tb, http.MethodPost, "/v1/auth/login", e.Example(tb, http.MethodPost, "/v1/auth/login"), nil)
	if r.Status != http.StatusOK {
		tb.Fatalf("login = %d %s", r.Status, r.Body)
	}
	r.JSON(tb, &pair)
	return created.ID, pair
}

func TestLogin(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	e.Call(t, http.MethodPost, "/v1/user", e.Example(t, http.MethodPost, "/v1/user"), nil)
	ex := e.Example(t, http.MethodPost, "/v1/auth/login")

	r := e.Call(t, http.MethodPost, "/v1/auth/login", ex, nil)
	var pair tokens
	r.JSON(t, &pair)
	if r.Status != http.StatusOK || pair.AccessToken == "" || pair.RefreshToken == "" || pair.TokenType != "Bearer" {
		t.Fatalf("login = %d %s", r.Status, r.Body)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", cc)
	}

	wrong := e.Call(t, http.MethodPost, "/v1/auth/login", httpapitest.With(ex, "password", "not the password at all"), nil)
	unknown := e.Call(t, http.MethodPost, "/v1/auth/login", httpapitest.With(ex, "username", "nobody@example.com"), nil)
	for name, r := range map[string]response{"wrong password": wrong, "unknown user": unknown} {
		if r.Status != http.StatusUnauthorized || httpapitest.ErrorOf(t, r).Error.Code != "unauthenticated" {
			t.Errorf("%s = %d %s, want 401", name, r.Status, r.Body)
		}
	}
	if !bytes.Equal(wrong.Body, unknown.Body) {
		t.Errorf("an unknown user is told apart from a wrong password:\n%s\n%s", wrong.Body, unknown.Body)
	}

	tests := []struct {
		name   string
		body   any
		status int
		fields string
	}{
		{"no username", httpapitest.With(ex, "username", nil), http.StatusBadRequest, "username"},
		{"password is a number", httpapitest.With(ex, "password", 12345678), http.StatusBadRequest, "password"},
		{"unknown locale", httpapitest.With(ex, "locale", "fr"), http.StatusBadRequest, "locale"},
		{"malformed", `{"username"`, http.StatusBadRequest, ""},
		{"array", `[]`, http.StatusBadRequest, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.Call(t, http.MethodPost, "/v1/auth/login", tt.body, nil)
			if r.Status != tt.status || httpapitest.FieldsOf(httpapitest.ErrorOf(t, r)) != tt.fields {
				t.Fatalf("= %d %s, want %d naming %q", r.Status, r.Body, tt.status, tt.fields)
			}
		})
	}
}

func TestRefresh(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	_, first := signUp(t, e)

	r := e.Call(t, http.MethodPost, "/v1/auth/refresh", map[string]string{"refresh_token": first.RefreshToken}, nil)
	var second tokens
	r.JSON(t, &second)
	if r.Status != http.StatusOK || second.TokenType != "Bearer" || second.RefreshToken == first.RefreshToken ||
		second.AccessToken == "" {
		t.Fatalf("refresh = %d %s", r.Status, r.Body)
	}
	if r := e.Call(t, http.MethodGet, "/v1/user/profile", nil, httpapitest.Bearer(second.AccessToken)); r.Status != http.StatusOK {
		t.Fatalf("profile with the refreshed access token = %d %s", r.Status, r.Body)
	}

	// Reusing the first token is theft: it fails and revokes the family.
	r = e.Call(t, http.MethodPost, "/v1/auth/refresh", map[string]string{"refresh_token": first.RefreshToken}, nil)
	if r.Status != http.StatusUnauthorized || httpapitest.ErrorOf(t, r).Error.Code != "unauthenticated" {
		t.Fatalf("reuse = %d %s, want 401", r.Status, r.Body)
	}
	r = e.Call(t, http.MethodPost, "/v1/auth/refresh", map[string]string{"refresh_token": second.RefreshToken}, nil)
	if r.Status != http.StatusUnauthorized {
		t.Fatalf("newest token of a revoked family = %d %s, want 401", r.Status, r.Body)
	}
	if r := e.Call(t, http.MethodGet, "/v1/user/profile", nil, httpapitest.Bearer(second.AccessToken)); r.Status != http.StatusUnauthorized {
		t.Fatalf("access token of a revoked family = %d %s, want 401", r.Status, r.Body)
	}

	for name, body := range map[string]any{
		"unknown token": map[string]string{"refresh_token": "kq3X9v0n8WZ2mJr4Tq1YbLc7Hs5Ua6Pe2Dg0Fi9Oj3M"},
		"the example":   e.Example(t, http.MethodPost, "/v1/auth/refresh"),
	} {
		if r := e.Call(t, http.MethodPost, "/v1/auth/refresh", body, nil); r.Status != http.StatusUnauthorized {
			t.Errorf("%s = %d %s, want 401", name, r.Status, r.Body)
		}
	}
	for name, body := range map[string]any{"missing": `{}`, "wrong type": `{"refresh_token":1}`} {
		r := e.Call(t, http.MethodPost, "/v1/auth/refresh", body, nil)
		if r.Status != http.StatusBadRequest || httpapitest.FieldsOf(httpapitest.ErrorOf(t, r)) != "refresh_token" {
			t.Errorf("%s = %d %s, want 400 naming refresh_token", name, r.Status, r.Body)
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

			r := e.Call(t, http.MethodGet, "/v1/auth/publicKey", nil, nil)
			if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
				t.Fatalf("publicKey = %d %q", r.Status, r.Header.Get("Content-Type"))
			}
			block, _ := pem.Decode(r.Body)
			if block == nil || block.Type != "PUBLIC KEY" {
				t.Fatalf("not a PUBLIC KEY PEM: %s", r.Body)
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
