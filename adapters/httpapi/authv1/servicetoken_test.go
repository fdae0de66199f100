package authv1_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"gatehouse/adapters/httpapi/httpapitest"
	"net/http"
	"strings"
	"testing"

	"gatehouse/adapters/httpapi/authv1"
	"gatehouse/adapters/jwtsign"
)

// audienceOf reads the aud claim of a JWT without verifying it; the tests
// verify through the session use cases.
func audienceOf(tb testing.TB, token string) string {
	tb.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		tb.Fatalf("not a JWS: %q", token)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		tb.Fatal(err)
	}
	var c struct {
		Aud any `json:"aud"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		tb.Fatal(err)
	}
	switch aud := c.Aud.(type) {
	case string:
		return aud
	case []any:
		if len(aud) == 1 {
			if s, ok := aud[0].(string); ok {
				return s
			}
		}
	}
	tb.Fatalf("aud = %v, want one audience", c.Aud)
	return ""
}

func TestServiceToken(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	id, user := signUp(t, e)

	r := e.Call(t, http.MethodPost, "/v1/auth/token", nil, httpapitest.Bearer(user.AccessToken))
	var svc tokens
	r.JSON(t, &svc)
	if r.Status != http.StatusOK || svc.AccessToken == "" || svc.RefreshToken == "" || svc.TokenType != "Bearer" {
		t.Fatalf("token = %d %s", r.Status, r.Body)
	}
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", r.Header.Get("Cache-Control"))
	}
	if aud := audienceOf(t, svc.AccessToken); aud != authv1.DefaultServiceAudience {
		t.Fatalf("aud = %q, want %q", aud, authv1.DefaultServiceAudience)
	}
	ctx := context.Background()
	if c, err := e.sess.Verify(ctx, svc.AccessToken, authv1.DefaultServiceAudience); err != nil || c.Subject != id {
		t.Fatalf("a service verifying the token: %+v, %v", c, err)
	}

	// The service's tokens are not the user's: the user API refuses them.
	for name, call := range map[string]func() response{
		"profile": func() response {
			return e.Call(t, http.MethodGet, "/v1/user/profile", nil, httpapitest.Bearer(svc.AccessToken))
		},
		"address": func() response {
			return e.Call(t, http.MethodPost, "/v1/user/address", e.Example(t, http.MethodPost, "/v1/user/address"), httpapitest.Bearer(svc.AccessToken))
		},
		"another service token": func() response {
			return e.Call(t, http.MethodPost, "/v1/auth/token", nil, httpapitest.Bearer(svc.AccessToken))
		},
	} {
		if r := call(); r.Status != http.StatusUnauthorized || httpapitest.ErrorOf(t, r).Error.Code != "unauthenticated" {
			t.Errorf("%s with a service token = %d %s, want 401", name, r.Status, r.Body)
		}
	}

	// Its refresh token rotates within the service's own family.
	r = e.Call(t, http.MethodPost, "/v1/auth/refresh", map[string]string{"refresh_token": svc.RefreshToken}, nil)
	var rotated tokens
	r.JSON(t, &rotated)
	if r.Status != http.StatusOK || audienceOf(t, rotated.AccessToken) != authv1.DefaultServiceAudience {
		t.Fatalf("refresh of the service pair = %d %s", r.Status, r.Body)
	}

	// Revoking the service's pair leaves the user signed in.
	if err := e.sess.Logout(ctx, rotated.RefreshToken); err != nil {
		t.Fatal(err)
	}
	if _, err := e.sess.Verify(ctx, rotated.AccessToken, authv1.DefaultServiceAudience); err == nil {
		t.Fatal("the revoked service access token still verifies")
	}
	if r := e.Call(t, http.MethodPost, "/v1/auth/refresh", map[string]string{"refresh_token": rotated.RefreshToken}, nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("refresh of the revoked service pair = %d %s, want 401", r.Status, r.Body)
	}
	if r := e.Call(t, http.MethodGet, "/v1/user/profile", nil, httpapitest.Bearer(user.AccessToken)); r.Status != http.StatusOK {
		t.Fatalf("the user's access token after revoking the service's = %d %s", r.Status, r.Body)
	}
	if r := e.Call(t, http.MethodPost, "/v1/auth/refresh", map[string]string{"refresh_token": user.RefreshToken}, nil); r.Status != http.StatusOK {
		t.Fatalf("the user's refresh token after revoking the service's = %d %s", r.Status, r.Body)
	}

	for name, header := range map[string]http.Header{"no token": nil, "garbage": httpapitest.Bearer("x.y.z")} {
		r := e.Call(t, http.MethodPost, "/v1/auth/token", nil, header)
		if r.Status != http.StatusUnauthorized || !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s = %d %s %v, want 401 with a Bearer challenge", name, r.Status, r.Body, r.Header)
		}
	}
}

func TestServiceAudienceOption(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{ServiceAudience: "billing"})
	_, user := signUp(t, e)
	var svc tokens
	e.Call(t, http.MethodPost, "/v1/auth/token", nil, httpapitest.Bearer(user.AccessToken)).JSON(t, &svc)
	if aud := audienceOf(t, svc.AccessToken); aud != "billing" {
		t.Fatalf("aud = %q, want billing", aud)
	}
}

func TestNewRefusesSharedAudience(t *testing.T) {
	d := newDeps(t, jwtsign.EdDSA)
	for _, o := range []authv1.Options{
		{Audience: "api", ServiceAudience: "api"},
		{Audience: authv1.DefaultServiceAudience},
	} {
		if _, err := authv1.New(o, d.identity, d.identity, d.identity, d.sessions, d.signer); err == nil {
			t.Errorf("New(%+v) accepted one audience for users and services", o)
		}
	}
	if _, err := authv1.New(authv1.Options{}, d.identity, nil, d.identity, d.sessions, d.signer); err == nil {
		t.Error("New accepted nil profiles")
	}
}
