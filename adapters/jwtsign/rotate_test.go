package jwtsign_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"gatehouse/adapters/jwtsign"
	"gatehouse/core/sessions"
)

func jwksKids(tb testing.TB, s *jwtsign.Signer) map[string]map[string]any {
	tb.Helper()
	b, err := s.JWKS(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	var set struct{ Keys []map[string]any }
	if err := json.Unmarshal(b, &set); err != nil {
		tb.Fatal(err)
	}
	out := map[string]map[string]any{}
	for _, k := range set.Keys {
		out[k["kid"].(string)] = k
	}
	return out
}

func TestRotationKeepsOldTokensUntilNotAfter(t *testing.T) {
	ctx := context.Background()
	clock := newClock()
	keys := &fakeKeys{}
	s := newSigner(t, "EdDSA", keys, clock)
	old := sign(t, s, claimsAt(clock.Now()))
	oldKid := header(t, old)["kid"].(string)

	if err := s.Rotate(ctx); err != nil {
		t.Fatalf("Rotate: %v", err)
	}
	fresh := sign(t, s, claimsAt(clock.Now()))
	newKid := header(t, fresh)["kid"].(string)
	if newKid == oldKid {
		t.Fatal("Rotate kept the signing key")
	}
	set := jwksKids(t, s)
	if len(set) != 2 || set[oldKid] == nil || set[newKid] == nil {
		t.Fatalf("JWKS after rotation = %v, want both keys", set)
	}
	for kid, k := range set {
		if k["use"] != "sig" || k["alg"] != "EdDSA" || k["kty"] != "OKP" || k["d"] != nil {
			t.Fatalf("JWKS key %s = %v", kid, k)
		}
	}
	for _, tok := range []string{old, fresh} {
		if _, err := s.Verify(ctx, tok, aud); err != nil {
			t.Fatalf("Verify after rotation: %v", err)
		}
	}
	var retired sessions.SigningKey
	for _, k := range keys.snapshot() {
		if k.ID == oldKid {
			retired = k
		}
	}
	if !retired.Retired() || retired.NotAfter.Before(clock.Now().Add(30*time.Minute)) {
		t.Fatalf("old key = retired %v not after %v, want retired and verifying past the access TTL", retired.RetiredAt, retired.NotAfter)
	}

	clock.Advance(retired.NotAfter.Sub(clock.Now()))
	if err := s.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	if set := jwksKids(t, s); len(set) != 1 || set[newKid] == nil {
		t.Fatalf("JWKS after NotAfter = %v, want only the new key", set)
	}
	c := claimsAt(clock.Now())
	if _, err := s.Verify(ctx, resignWith(t, keys, oldKid, c), aud); err == nil {
		t.Fatal("a token of a key past NotAfter verified")
	}
	if _, err := s.Verify(ctx, sign(t, s, c), aud); err != nil {
		t.Fatalf("new key: %v", err)
	}
}

func TestRotatedKeyDropsAtNotAfterWithoutReload(t *testing.T) {
	ctx := context.Background()
	clock := newClock()
	keys := &fakeKeys{}
	s := newSigner(t, "ES256", keys, clock)
	oldKid := header(t, sign(t, s, claimsAt(clock.Now())))["kid"].(string)
	if err := s.Rotate(ctx); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Hour) // past NotAfter; no Reload in between
	tok := resignWith(t, keys, oldKid, claimsAt(clock.Now()))
	_, err := s.Verify(ctx, tok, aud)
	wantReason(t, err, sessions.ReasonTokenInvalid)
	if set := jwksKids(t, s); len(set) != 1 {
		t.Fatalf("JWKS lists %d keys, want 1", len(set))
	}
}

func TestConcurrentStartAgreesOnOneKey(t *testing.T) {
	for _, n := range []int{2, 8} {
		clock := newClock()
		keys := &fakeKeys{}
		signers := make([]*jwtsign.Signer, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				s, err := jwtsign.New(jwtsign.Options{Issuer: issuer}, keys, clock)
				if err != nil {
					t.Errorf("New: %v", err)
					return
				}
				if err := s.Start(context.Background()); err != nil {
					t.Errorf("Start: %v", err)
					return
				}
				signers[i] = s
			})
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		if got := len(keys.snapshot()); got != 1 {
			t.Fatalf("%d signers stored %d keys, want 1", n, got)
		}
		want, _ := signers[0].PublicKeyPEM(context.Background())
		for i, s := range signers {
			got, _ := s.PublicKeyPEM(context.Background())
			if string(got) != string(want) {
				t.Fatalf("signer %d of %d signs with another key", i, n)
			}
			// Each replica verifies the others' tokens.
			if _, err := signers[(i+1)%n].Verify(context.Background(), sign(t, s, claimsAt(clock.Now())), aud); err != nil {
				t.Fatalf("cross-replica verify: %v", err)
			}
		}
	}
}

func TestUnknownKidReloadsAtMostEveryFewSeconds(t *testing.T) {
	ctx := context.Background()
	clock := newClock()
	keys := &fakeKeys{}
	a := newSigner(t, "EdDSA", keys, clock)
	b := newSigner(t, "EdDSA", keys, clock)
	if err := a.Rotate(ctx); err != nil {
		t.Fatal(err)
	}
	// b has not reloaded, yet accepts a's new key after one store read.
	before := keys.reads.Load()
	if _, err := b.Verify(ctx, sign(t, a, claimsAt(clock.Now())), aud); err != nil {
		t.Fatalf("b refused a's rotated key: %v", err)
	}
	if got := keys.reads.Load() - before; got != 1 {
		t.Fatalf("kid miss read the store %d times, want 1", got)
	}
	junk := resignWith(t, keys, "junk-kid", claimsAt(clock.Now()))
	before = keys.reads.Load()
	for range 100 {
		_, err := b.Verify(ctx, junk, aud)
		wantReason(t, err, sessions.ReasonTokenInvalid)
	}
	if got := keys.reads.Load() - before; got != 0 {
		t.Fatalf("junk kids within the window read the store %d times, want 0", got)
	}
	clock.Advance(5 * time.Second)
	for range 100 {
		_, _ = b.Verify(ctx, junk, aud)
	}
	if got := keys.reads.Load() - before; got != 1 {
		t.Fatalf("junk kids after the window read the store %d times, want 1", got)
	}
}

func TestReloadRotatesWhenDue(t *testing.T) {
	ctx := context.Background()
	clock := newClock()
	keys := &fakeKeys{}
	s := started(t, jwtsign.Options{Issuer: issuer, RotateEvery: 24 * time.Hour}, keys, clock)
	other := started(t, jwtsign.Options{Issuer: issuer, RotateEvery: 24 * time.Hour}, keys, clock)
	clock.Advance(23 * time.Hour)
	if err := s.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(keys.snapshot()); n != 1 {
		t.Fatalf("rotated early: %d keys", n)
	}
	clock.Advance(time.Hour)
	for _, r := range []*jwtsign.Signer{s, other} { // the second replica finds it done
		if err := r.Reload(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(keys.snapshot()); n != 2 {
		t.Fatalf("after RotateEvery: %d keys, want 2 (one rotation across replicas)", n)
	}
	p1, _ := s.PublicKeyPEM(ctx)
	p2, _ := other.PublicKeyPEM(ctx)
	if string(p1) != string(p2) {
		t.Fatal("replicas sign with different keys after rotation")
	}
}

// resignWith signs claims with the stored private key of kid (or the newest
// key when kid is not stored) under that kid.
func resignWith(tb testing.TB, keys *fakeKeys, kid string, c sessions.Claims) string {
	tb.Helper()
	stored := keys.snapshot()
	k := stored[len(stored)-1]
	for _, s := range stored {
		if s.ID == kid {
			k = s
		}
	}
	claims := map[string]any{"iss": c.Issuer, "sub": c.Subject, "aud": c.Audience, "exp": c.ExpiresAt.Unix(),
		"iat": c.IssuedAt.Unix(), "jti": c.ID, "sid": c.SessionID}
	return joseSign(tb, jose.SignatureAlgorithm(k.Algorithm), privateKey(tb, k.PrivatePEM), kid, claims)
}
