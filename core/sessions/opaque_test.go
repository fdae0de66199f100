package sessions_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
)

const day = 24 * time.Hour

func TestNewOpaqueFamily(t *testing.T) {
	p := testPolicy()
	f := sessions.NewOpaqueFamily(p, "s1", "u1", "d1", "hash", t0)
	if f.Kind != sessions.KindOpaque || f.TokenHash != "hash" || f.ID != "s1" || f.UserID != "u1" ||
		f.DeviceID != "d1" || f.Audience != "app" || !f.CreatedAt.Equal(t0) || !f.LastUsedAt.Equal(t0) ||
		!f.ExpiresAt.Equal(t0.Add(30*day)) || f.Revoked() {
		t.Fatalf("family = %+v", f)
	}
	r := sessions.OpaqueRecord(f)
	want := sessions.RefreshToken{Hash: "hash", FamilyID: "s1", UserID: "u1", Seq: 1, IssuedAt: t0, ExpiresAt: f.ExpiresAt}
	if r != want {
		t.Fatalf("record = %+v, want %+v", r, want)
	}
	// Its record is never exchanged for a token pair.
	err := sessions.CheckRefresh(f, r, t0)
	if fault.ReasonOf(err) != sessions.ReasonRefreshInvalid || !errors.Is(err, sessions.ErrRefreshUnknown) {
		t.Fatalf("CheckRefresh of an opaque record = %v", err)
	}
	if got := sessions.OpaqueClaims(p, f); got.Subject != "u1" || got.SessionID != "s1" || got.ID != "s1" ||
		got.Audience != "app" || got.Issuer != "gh" || !got.IssuedAt.Equal(t0) || !got.ExpiresAt.Equal(t0.Add(7*day)) {
		t.Fatalf("claims = %+v", got)
	}
}

func TestOpaqueEnd(t *testing.T) {
	p := testPolicy()
	f := sessions.NewOpaqueFamily(p, "s1", "u1", "d1", "hash", t0)
	tests := []struct {
		name     string
		lastUsed time.Time
		want     time.Time
	}{
		{"idle end", t0.Add(day), t0.Add(8 * day)},
		{"capped by the absolute end", t0.Add(29 * day), t0.Add(30 * day)},
	}
	for _, tt := range tests {
		f.LastUsedAt = tt.lastUsed
		if got := sessions.OpaqueEnd(p, f); !got.Equal(tt.want) {
			t.Errorf("%s: OpaqueEnd = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCheckOpaque(t *testing.T) {
	p := testPolicy()
	live := sessions.NewOpaqueFamily(p, "s1", "u1", "d1", "hash", t0)
	tests := []struct {
		name   string
		edit   func(*sessions.Family)
		now    time.Time
		reason string // "" means accepted
	}{
		{"fresh", func(*sessions.Family) {}, t0, ""},
		{"just before idle end", func(*sessions.Family) {}, t0.Add(7*day - time.Second), ""},
		{"idle end", func(*sessions.Family) {}, t0.Add(7 * day), sessions.ReasonTokenExpired},
		{"used lately", func(f *sessions.Family) { f.LastUsedAt = t0.Add(20 * day) }, t0.Add(26 * day), ""},
		{"absolute end despite use", func(f *sessions.Family) { f.LastUsedAt = t0.Add(29 * day) }, t0.Add(30 * day), sessions.ReasonTokenExpired},
		{"revoked", func(f *sessions.Family) { f.RevokedAt, f.Reason = t0, "logout" }, t0, sessions.ReasonTokenRevoked},
		{"revoked and expired", func(f *sessions.Family) { f.RevokedAt = t0 }, t0.Add(40 * day), sessions.ReasonTokenRevoked},
		{"refresh family", func(f *sessions.Family) { f.Kind = sessions.KindRefresh }, t0, sessions.ReasonTokenInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := live
			tt.edit(&f)
			err := sessions.CheckOpaque(p, f, tt.now)
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("CheckOpaque = %v, want nil", err)
				}
				return
			}
			if fault.CodeOf(err) != fault.Unauthenticated || fault.ReasonOf(err) != tt.reason {
				t.Fatalf("CheckOpaque = %v, want unauthenticated %s", err, tt.reason)
			}
		})
	}
}

func TestOpaqueTouchDue(t *testing.T) {
	p := testPolicy()
	f := sessions.NewOpaqueFamily(p, "s1", "u1", "d1", "hash", t0)
	for d, want := range map[time.Duration]bool{0: false, 5*time.Minute - time.Second: false, 5 * time.Minute: true, day: true} {
		if got := sessions.OpaqueTouchDue(p, f, t0.Add(d)); got != want {
			t.Errorf("OpaqueTouchDue after %s = %v, want %v", d, got, want)
		}
	}
}

func TestWellFormedOpaque(t *testing.T) {
	token, _, err := sessions.NewRefreshSecret(make([]byte, sessions.RefreshBytes))
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]bool{
		token:                             true,
		strings.Repeat("-_aZ09", 7) + "x": true,
		"":                                false,
		token[1:]:                         false,
		token + "A":                       false,
		token[:42] + "=":                  false,
		token[:42] + ".":                  false,
		token[:41] + "é":                  false,
	}
	for tok, want := range tests {
		if got := sessions.WellFormedOpaque(tok); got != want {
			t.Errorf("WellFormedOpaque(%q) = %v, want %v", tok, got, want)
		}
	}
}
