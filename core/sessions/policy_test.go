package sessions_test

import (
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
)

func TestPolicyWithDefaults(t *testing.T) {
	p := sessions.Policy{Issuer: "gh", Audience: "app"}.WithDefaults()
	if p.AccessTTL != 30*time.Minute || p.RefreshTTL != 720*time.Hour || p.SessionTTL != 90*24*time.Hour {
		t.Fatalf("defaults = %+v", p)
	}
	long := sessions.Policy{RefreshTTL: 200 * 24 * time.Hour}.WithDefaults()
	if long.SessionTTL != long.RefreshTTL {
		t.Fatalf("session ttl %s should grow to refresh ttl %s", long.SessionTTL, long.RefreshTTL)
	}
	if p.OpaqueIdleTTL != 7*24*time.Hour || p.OpaqueMaxTTL != 30*24*time.Hour || p.OpaqueTouchEvery != 5*time.Minute {
		t.Fatalf("opaque defaults = %+v", p)
	}
	longIdle := sessions.Policy{OpaqueIdleTTL: 60 * 24 * time.Hour}.WithDefaults()
	if longIdle.OpaqueMaxTTL != longIdle.OpaqueIdleTTL {
		t.Fatalf("opaque max ttl %s should grow to idle ttl %s", longIdle.OpaqueMaxTTL, longIdle.OpaqueIdleTTL)
	}
	shortIdle := sessions.Policy{OpaqueIdleTTL: 8 * time.Minute}.WithDefaults()
	if shortIdle.OpaqueTouchEvery != 2*time.Minute {
		t.Fatalf("touch interval for a short idle ttl = %s, want 2m", shortIdle.OpaqueTouchEvery)
	}
	set := sessions.Policy{AccessTTL: time.Hour}.WithDefaults()
	if set.AccessTTL != time.Hour {
		t.Fatalf("explicit access ttl overwritten: %s", set.AccessTTL)
	}
}

func TestPolicyValidate(t *testing.T) {
	good := sessions.Policy{Issuer: "gh", Audience: "app"}.WithDefaults()
	tests := []struct {
		name   string
		edit   func(*sessions.Policy)
		reason string // "" means valid
	}{
		{"defaults", func(*sessions.Policy) {}, ""},
		{"no issuer", func(p *sessions.Policy) { p.Issuer = "" }, "invalid.sessions.issuer"},
		{"no audience", func(p *sessions.Policy) { p.Audience = "" }, "invalid.sessions.audience"},
		{"access too short", func(p *sessions.Policy) { p.AccessTTL = time.Second }, "invalid.sessions.access_ttl"},
		{"refresh not longer", func(p *sessions.Policy) { p.RefreshTTL = p.AccessTTL }, "invalid.sessions.refresh_ttl"},
		{"session shorter", func(p *sessions.Policy) { p.SessionTTL = p.RefreshTTL - time.Hour }, "invalid.sessions.session_ttl"},
		{"session equal", func(p *sessions.Policy) { p.SessionTTL = p.RefreshTTL }, ""},
		{"opaque idle too short", func(p *sessions.Policy) { p.OpaqueIdleTTL = time.Second }, "invalid.sessions.opaque_idle_ttl"},
		{"opaque max shorter than idle", func(p *sessions.Policy) { p.OpaqueMaxTTL = p.OpaqueIdleTTL - time.Hour }, "invalid.sessions.opaque_max_ttl"},
		{"opaque max equal to idle", func(p *sessions.Policy) { p.OpaqueMaxTTL = p.OpaqueIdleTTL }, ""},
		{"opaque touch negative", func(p *sessions.Policy) { p.OpaqueTouchEvery = -time.Second }, "invalid.sessions.opaque_touch_every"},
		{"opaque touch over half the idle ttl", func(p *sessions.Policy) { p.OpaqueTouchEvery = p.OpaqueIdleTTL/2 + time.Second }, "invalid.sessions.opaque_touch_every"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := good
			tt.edit(&p)
			err := p.Validate()
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if fault.CodeOf(err) != fault.Invalid || fault.ReasonOf(err) != tt.reason {
				t.Fatalf("Validate() = %v, want invalid %s", err, tt.reason)
			}
		})
	}
}

func TestPolicyAudienceOr(t *testing.T) {
	p := sessions.Policy{Audience: "app"}
	for in, want := range map[string]string{"": "app", "vpn": "vpn"} {
		if got := p.AudienceOr(in); got != want {
			t.Errorf("AudienceOr(%q) = %q, want %q", in, got, want)
		}
	}
}
