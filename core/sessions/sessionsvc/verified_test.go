package sessionsvc_test

import (
	"context"
	"crypto/rand"
	"sync/atomic"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/core/sessions/sessionsvc"
	"gatehouse/ports"
)

// countingSigner counts the signature checks that reach the real signer.
type countingSigner struct {
	ports.TokenSigner
	verifies atomic.Int64
}

func (c *countingSigner) Verify(ctx context.Context, token, audience string) (sessions.Claims, error) {
	c.verifies.Add(1)
	return c.TokenSigner.Verify(ctx, token, audience)
}

// counted is a second Service over e's store, cache and keys, with its own
// counting signer and verified-token cache of size.
func (e *env) counted(tb testing.TB, size int) (*sessionsvc.Service, *countingSigner) {
	tb.Helper()
	signer := &countingSigner{TokenSigner: e.signer}
	svc, err := sessionsvc.New(sessionsvc.Deps{Store: e.store, Signer: signer, Cache: e.cache, Clock: e.clock,
		Random: rand.Reader, Policy: testPolicy, VerifiedCacheSize: size})
	if err != nil {
		tb.Fatal(err)
	}
	return svc, signer
}

func TestVerifyRemembersVerifiedTokens(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	svc, signer := e.counted(t, 0)
	p := e.start(t, "u1")
	for range 3 {
		c, err := svc.Verify(ctx, p.AccessToken, "")
		if err != nil || c.Subject != "u1" || c.SessionID != p.SessionID {
			t.Fatalf("Verify = %+v, %v", c, err)
		}
	}
	if n := signer.verifies.Load(); n != 1 {
		t.Fatalf("signature checked %d times, want 1", n)
	}
	// Another audience is another question, asked of the signer (and refused).
	_, err := svc.Verify(ctx, p.AccessToken, "other-app")
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenInvalid)
	// A changed token is never served from the cache.
	_, err = svc.Verify(ctx, p.AccessToken+"x", "")
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenInvalid)
	if n := signer.verifies.Load(); n != 3 {
		t.Fatalf("signature checked %d times, want 3", n)
	}
}

func TestVerifiedTokenRevokedOnAnotherReplicaIsRefusedAtOnce(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	a, _ := e.counted(t, 0)
	b, _ := e.counted(t, 0)
	p := e.start(t, "u1")
	other := e.start(t, "u1")
	for _, tok := range []string{p.AccessToken, other.AccessToken} {
		if _, err := a.Verify(ctx, tok, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.EndSession(ctx, p.SessionID); err != nil {
		t.Fatal(err)
	}
	_, err := a.Verify(ctx, p.AccessToken, "")
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenRevoked)
	if err := b.EndUserSessions(ctx, "u1", "blocked"); err != nil {
		t.Fatal(err)
	}
	_, err = a.Verify(ctx, other.AccessToken, "")
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenRevoked)
}

func TestVerifiedTokenNotServedPastExp(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	svc, signer := e.counted(t, 0)
	p := e.start(t, "u1")
	if _, err := svc.Verify(ctx, p.AccessToken, ""); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(p.AccessExpiresAt.Sub(e.clock.Now()) + time.Millisecond)
	// Past exp the signer decides again (within its leeway it still accepts).
	if _, err := svc.Verify(ctx, p.AccessToken, ""); err != nil {
		t.Fatalf("within leeway: %v", err)
	}
	e.clock.Advance(sessions.Leeway + time.Second)
	_, err := svc.Verify(ctx, p.AccessToken, "")
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenExpired)
	if n := signer.verifies.Load(); n != 3 {
		t.Fatalf("signature checked %d times, want 3", n)
	}
}

func TestVerifiedCacheOff(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	svc, signer := e.counted(t, -1)
	p := e.start(t, "u1")
	for range 2 {
		if _, err := svc.Verify(ctx, p.AccessToken, ""); err != nil {
			t.Fatal(err)
		}
	}
	if n := signer.verifies.Load(); n != 2 {
		t.Fatalf("signature checked %d times, want 2", n)
	}
}
