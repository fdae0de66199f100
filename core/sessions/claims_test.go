package sessions_test

import (
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
)

func TestNewAccessClaims(t *testing.T) {
	p := testPolicy()
	f := sessions.NewFamily(p, "fam", "u1", "dev", "vpn", t0)
	c := sessions.NewAccessClaims(p, f, "jti1", []string{"admin"}, t0)
	want := sessions.Claims{Issuer: "gh", Subject: "u1", Audience: "vpn", ExpiresAt: t0.Add(p.AccessTTL),
		IssuedAt: t0, ID: "jti1", SessionID: "fam"}
	if c.Issuer != want.Issuer || c.Subject != want.Subject || c.Audience != want.Audience ||
		!c.ExpiresAt.Equal(want.ExpiresAt) || !c.IssuedAt.Equal(want.IssuedAt) || c.ID != want.ID ||
		c.SessionID != want.SessionID || len(c.Roles) != 1 || c.Roles[0] != "admin" {
		t.Fatalf("claims = %+v", c)
	}
}

func TestCheckClaims(t *testing.T) {
	p := testPolicy()
	base := sessions.NewAccessClaims(p, sessions.NewFamily(p, "fam", "u1", "", "app", t0), "j", nil, t0)
	tests := []struct {
		name   string
		edit   func(*sessions.Claims)
		now    time.Time
		reason string // "" means accepted
	}{
		{"valid", func(*sessions.Claims) {}, t0.Add(time.Minute), ""},
		{"within exp leeway", func(*sessions.Claims) {}, base.ExpiresAt.Add(sessions.Leeway), ""},
		{"expired", func(*sessions.Claims) {}, base.ExpiresAt.Add(sessions.Leeway + time.Second), sessions.ReasonTokenExpired},
		{"iat slightly ahead", func(*sessions.Claims) {}, t0.Add(-sessions.Leeway), ""},
		{"iat far ahead", func(*sessions.Claims) {}, t0.Add(-sessions.Leeway - time.Second), sessions.ReasonTokenInvalid},
		{"wrong issuer", func(c *sessions.Claims) { c.Issuer = "evil" }, t0, sessions.ReasonTokenInvalid},
		{"wrong audience", func(c *sessions.Claims) { c.Audience = "other" }, t0, sessions.ReasonTokenInvalid},
		{"token names no audience", func(c *sessions.Claims) { c.Audience = "" }, t0, sessions.ReasonTokenInvalid},
		{"no subject", func(c *sessions.Claims) { c.Subject = "" }, t0, sessions.ReasonTokenInvalid},
		{"no sid", func(c *sessions.Claims) { c.SessionID = "" }, t0, sessions.ReasonTokenInvalid},
		{"no jti", func(c *sessions.Claims) { c.ID = "" }, t0, sessions.ReasonTokenInvalid},
		{"no exp", func(c *sessions.Claims) { c.ExpiresAt = time.Time{} }, t0, sessions.ReasonTokenInvalid},
		{"no iat", func(c *sessions.Claims) { c.IssuedAt = time.Time{} }, t0, sessions.ReasonTokenInvalid},
		{"exp before iat", func(c *sessions.Claims) { c.ExpiresAt = c.IssuedAt.Add(-time.Second) }, t0, sessions.ReasonTokenInvalid},
		{"foreign and expired", func(c *sessions.Claims) { c.Issuer = "evil" }, base.ExpiresAt.Add(time.Hour), sessions.ReasonTokenInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base
			tt.edit(&c)
			err := sessions.CheckClaims(c, "gh", "app", tt.now)
			if tt.reason == "" && sessions.CheckClaims(c, "gh", "", tt.now) == nil {
				t.Fatal("accepted with no expected audience")
			}
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("CheckClaims = %v, want nil", err)
				}
				return
			}
			if fault.CodeOf(err) != fault.Unauthenticated || fault.ReasonOf(err) != tt.reason {
				t.Fatalf("CheckClaims = %v, want unauthenticated %s", err, tt.reason)
			}
		})
	}
}

func TestFaultsAreUnauthenticated(t *testing.T) {
	tests := []struct {
		err    error
		reason string
	}{
		{sessions.TokenInvalid(nil), sessions.ReasonTokenInvalid},
		{sessions.TokenExpired(), sessions.ReasonTokenExpired},
		{sessions.TokenRevoked(), sessions.ReasonTokenRevoked},
		{sessions.RefreshInvalid(sessions.ErrRefreshReused), sessions.ReasonRefreshInvalid},
	}
	for _, tt := range tests {
		if fault.CodeOf(tt.err) != fault.Unauthenticated || fault.ReasonOf(tt.err) != tt.reason || fault.MessageOf(tt.err) == "Internal error." {
			t.Errorf("%v: want unauthenticated %s with a message", tt.err, tt.reason)
		}
	}
}
