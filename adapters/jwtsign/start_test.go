package jwtsign_test

import (
	"context"
	"testing"
	"time"

	"gatehouse/adapters/jwtsign"
	"gatehouse/core/fault"
)

// TestBeforeStart checks that New touches no storage and that every call
// that needs keys is fault.Unavailable, not a panic, until Start.
func TestBeforeStart(t *testing.T) {
	ctx := context.Background()
	clock := newClock()
	keys := &fakeKeys{}
	s, err := jwtsign.New(jwtsign.Options{Issuer: issuer, AccessTTL: 30 * time.Minute}, keys, clock)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if n := keys.reads.Load(); n != 0 {
		t.Fatalf("New read the key store %d times, want 0", n)
	}
	calls := []struct {
		name string
		call func() error
	}{
		{"Sign", func() error { _, err := s.Sign(ctx, claimsAt(clock.Now())); return err }},
		{"Verify", func() error { _, err := s.Verify(ctx, "a.b.c", aud); return err }},
		{"JWKS", func() error { _, err := s.JWKS(ctx); return err }},
		{"PublicKeyPEM", func() error { _, err := s.PublicKeyPEM(ctx); return err }},
	}
	for _, c := range calls {
		if err := c.call(); !fault.Is(err, fault.Unavailable) {
			t.Errorf("%s before Start: err = %v, want unavailable", c.name, err)
		}
	}
	if err := s.Start(ctx); err != nil {
		t.Fatalf("Start: %v", err)
	}
	if n := len(keys.snapshot()); n != 1 {
		t.Fatalf("Start stored %d keys, want 1", n)
	}
	if _, err := s.JWKS(ctx); err != nil {
		t.Fatalf("JWKS after Start: %v", err)
	}
	if _, err := s.PublicKeyPEM(ctx); err != nil {
		t.Fatalf("PublicKeyPEM after Start: %v", err)
	}
	tok := sign(t, s, claimsAt(clock.Now()))
	if _, err := s.Verify(ctx, tok, aud); err != nil {
		t.Fatalf("Verify after Start: %v", err)
	}
}
