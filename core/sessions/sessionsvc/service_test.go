package sessionsvc_test

import (
	"context"
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"gatehouse/adapters/memstore"
	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/core/sessions/sessionsvc"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

func TestStartIssuesVerifiablePair(t *testing.T) {
	ctx := context.Background()
	for _, alg := range []string{"EdDSA", "ES256", "RS256"} {
		t.Run(alg, func(t *testing.T) {
			e := newEnv(t, alg)
			p := e.start(t, "u1")
			now := e.clock.Now()
			if p.TokenType != "Bearer" || p.SessionID == "" || p.DeviceID == "" || len(p.RefreshToken) != 43 ||
				!p.AccessExpiresAt.Equal(now.Add(30*time.Minute)) || !p.RefreshExpiresAt.Equal(now.Add(720*time.Hour)) {
				t.Fatalf("pair = %+v", p)
			}
			c, err := e.svc.Verify(ctx, p.AccessToken, "")
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if c.Subject != "u1" || c.SessionID != p.SessionID || c.Audience != "app" || c.Issuer != testPolicy.Issuer || c.ID == "" {
				t.Fatalf("claims = %+v", c)
			}
			// Only the hash of the refresh token is stored.
			if _, err := e.store.Refresh(ctx, p.RefreshToken); !fault.Is(err, fault.NotFound) {
				t.Fatalf("refresh token stored in clear: %v", err)
			}
			if rt, err := e.store.Refresh(ctx, sessions.HashRefresh(p.RefreshToken)); err != nil || rt.Seq != 1 {
				t.Fatalf("stored token = %+v, %v", rt, err)
			}
		})
	}
}

func TestStartAudience(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	p, err := e.svc.Start(ctx, "u1", "vpn", ports.DeviceInfo{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Verify(ctx, p.AccessToken, "vpn"); err != nil {
		t.Fatalf("own audience: %v", err)
	}
	_, err = e.svc.Verify(ctx, p.AccessToken, "")
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenInvalid)
	// A rotated token keeps the family's audience.
	next := e.rotate(t, p.RefreshToken)
	if _, err := e.svc.Verify(ctx, next.AccessToken, "vpn"); err != nil {
		t.Fatalf("rotated token audience: %v", err)
	}
	_, err = e.svc.Start(ctx, "", "", ports.DeviceInfo{})
	wantFault(t, err, fault.Invalid, "invalid.user_id")
}

func TestStartDevices(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	first := e.start(t, "u1")
	other := e.start(t, "u2")
	tests := []struct {
		name    string
		id      string
		sameDev bool
	}{
		{"own device is reused", first.DeviceID, true},
		{"empty id is a new device", "", false},
		{"unknown id is a new device", "made-up-id", false},
		{"another user's device is not adopted", other.DeviceID, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.clock.Advance(time.Minute)
			p, err := e.svc.Start(ctx, "u1", "", ports.DeviceInfo{ID: tt.id, Name: "tablet", UserAgent: "ua/2"})
			if err != nil {
				t.Fatal(err)
			}
			if got := p.DeviceID == first.DeviceID; got != tt.sameDev {
				t.Fatalf("device %s, first %s: same = %v, want %v", p.DeviceID, first.DeviceID, got, tt.sameDev)
			}
			if p.DeviceID == tt.id && !tt.sameDev {
				t.Fatalf("adopted the client's device id %q", tt.id)
			}
			d, err := e.store.Device(ctx, p.DeviceID)
			if err != nil || d.UserID != "u1" || d.Name != "tablet" || !d.LastSeen.Equal(e.clock.Now()) {
				t.Fatalf("device = %+v, %v", d, err)
			}
		})
	}
	if d, _ := e.store.Device(ctx, other.DeviceID); d.UserID != "u2" || d.Name != "phone" {
		t.Fatalf("another user's device changed: %+v", d)
	}
	ds, err := e.svc.Devices(ctx, "u1")
	if err != nil || len(ds) != 4 {
		t.Fatalf("Devices = %d, %v; want 4", len(ds), err)
	}
}

func TestRotateUpdatesDeviceLastSeen(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	p := e.start(t, "u1")
	e.clock.Advance(time.Hour)
	next, err := e.svc.Rotate(ctx, p.RefreshToken, ports.DeviceInfo{IP: "10.9.9.9"})
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.store.Device(ctx, p.DeviceID)
	if err != nil || !d.LastSeen.Equal(e.clock.Now()) || d.IP != "10.9.9.9" || d.UserAgent != "ua/1" {
		t.Fatalf("device = %+v, %v", d, err)
	}
	if next.SessionID != p.SessionID || next.DeviceID != p.DeviceID || next.RefreshToken == p.RefreshToken {
		t.Fatalf("rotated pair = %+v", next)
	}
	if rt, _ := e.store.Refresh(ctx, sessions.HashRefresh(next.RefreshToken)); rt.Seq != 2 {
		t.Fatalf("next token seq = %d, want 2", rt.Seq)
	}
}

func TestNewRefuses(t *testing.T) {
	clock := porttest.NewClock(time.Time{})
	cache := memstore.NewCache(clock)
	t.Cleanup(func() { _ = cache.Close() })
	e := newEnv(t, "EdDSA")
	good := sessionsvc.Deps{Store: memstore.NewSessionStore(), Signer: e.signer, Cache: cache, Clock: clock,
		Random: rand.Reader, Policy: testPolicy}
	tests := []struct {
		name string
		edit func(*sessionsvc.Deps)
	}{
		{"no store", func(d *sessionsvc.Deps) { d.Store = nil }},
		{"no signer", func(d *sessionsvc.Deps) { d.Signer = nil }},
		{"no cache", func(d *sessionsvc.Deps) { d.Cache = nil }},
		{"no clock", func(d *sessionsvc.Deps) { d.Clock = nil }},
		{"no random", func(d *sessionsvc.Deps) { d.Random = nil }},
		{"no issuer", func(d *sessionsvc.Deps) { d.Policy.Issuer = "" }},
		{"refresh shorter than access", func(d *sessionsvc.Deps) { d.Policy.RefreshTTL = time.Minute }},
	}
	if _, err := sessionsvc.New(good); err != nil {
		t.Fatalf("New(good) = %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := good
			tt.edit(&d)
			if _, err := sessionsvc.New(d); err == nil {
				t.Fatal("New succeeded")
			}
		})
	}
}

// failingCache is a cache whose reads fail.
type failingCache struct{ ports.Cache }

func (failingCache) Get(context.Context, string) ([]byte, bool, error) {
	return nil, false, errors.New("connection refused")
}

func TestVerifyFailsClosedWithoutCache(t *testing.T) {
	e := newEnv(t, "EdDSA")
	p := e.start(t, "u1")
	svc, err := sessionsvc.New(sessionsvc.Deps{Store: e.store, Signer: e.signer, Cache: failingCache{e.cache},
		Clock: e.clock, Random: rand.Reader, Policy: testPolicy})
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.Verify(context.Background(), p.AccessToken, "")
	wantFault(t, err, fault.Unavailable, "sessions.cache_unavailable")
}

// TestServerNamedDevice: a device the server named (a VPN device's) is made
// under that name at its first sign-in and reused afterwards, so it can be
// signed out by it; another user's is never adopted.
func TestServerNamedDevice(t *testing.T) {
	e := newEnv(t, "EdDSA")
	ctx := context.Background()
	first, err := e.svc.StartOpaque(ctx, "u1", ports.DeviceInfo{ServerID: "vpn-7", Name: "phone"})
	if err != nil || first.DeviceID != "vpn-7" {
		t.Fatalf("first sign-in: device %q, %v; want vpn-7", first.DeviceID, err)
	}
	again, err := e.svc.StartOpaque(ctx, "u1", ports.DeviceInfo{ServerID: "vpn-7", Name: "phone"})
	if err != nil || again.DeviceID != "vpn-7" {
		t.Fatalf("second sign-in: device %q, %v; want vpn-7", again.DeviceID, err)
	}
	other, err := e.svc.StartOpaque(ctx, "u2", ports.DeviceInfo{ServerID: "vpn-7", Name: "phone"})
	if err != nil || other.DeviceID == "vpn-7" {
		t.Fatalf("another user's sign-in adopted vpn-7: %q, %v", other.DeviceID, err)
	}
	if err := e.svc.EndDevice(ctx, "u1", "vpn-7"); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{first.Token, again.Token} {
		if _, err := e.svc.VerifyOpaque(ctx, tok); fault.CodeOf(err) != fault.Unauthenticated {
			t.Fatalf("a session of the signed-out device: %v", err)
		}
	}
	if _, err := e.svc.VerifyOpaque(ctx, other.Token); err != nil {
		t.Fatalf("the other user's session: %v", err)
	}
}
