package sessionsvc_test

import (
	"context"
	"testing"
	"time"

	"gatehouse/adapters/memstore"
	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// revokedEverywhere is one of each kind of revocation: a logout, a
// refresh-token reuse, the end of every session of a user (block, reset)
// and a logged-out opaque session.
type revokedEverywhere struct {
	logout, reuse, blocked string // access tokens
	opaque                 string
}

func revokeOneOfEach(tb testing.TB, e *env) revokedEverywhere {
	tb.Helper()
	ctx := context.Background()
	var r revokedEverywhere

	p := e.start(tb, "u1")
	r.logout = p.AccessToken
	if err := e.svc.Logout(ctx, p.RefreshToken); err != nil {
		tb.Fatalf("Logout: %v", err)
	}

	p = e.start(tb, "u2")
	e.rotate(tb, p.RefreshToken)
	_, err := e.svc.Rotate(ctx, p.RefreshToken, ports.DeviceInfo{})
	wantRefreshInvalid(tb, err)
	r.reuse = p.AccessToken

	p = e.start(tb, "u3")
	r.blocked = p.AccessToken
	if err := e.svc.EndUserSessions(ctx, "u3", "blocked"); err != nil {
		tb.Fatalf("EndUserSessions: %v", err)
	}

	tok, err := e.svc.StartOpaque(ctx, "u4", ports.DeviceInfo{Name: "Chrome"})
	if err != nil {
		tb.Fatalf("StartOpaque: %v", err)
	}
	if err := e.svc.Logout(ctx, tok.Token); err != nil {
		tb.Fatalf("Logout opaque: %v", err)
	}
	r.opaque = tok.Token
	return r
}

func wantAllRefused(tb testing.TB, e *env, r revokedEverywhere, when string) {
	tb.Helper()
	ctx := context.Background()
	for name, tok := range map[string]string{"logout": r.logout, "reuse": r.reuse, "blocked": r.blocked} {
		_, err := e.svc.Verify(ctx, tok, "")
		if fault.CodeOf(err) != fault.Unauthenticated {
			tb.Errorf("%s: access token of the %s session: %v, want refused", when, name, err)
		}
	}
	_, err := e.svc.VerifyOpaque(ctx, r.opaque)
	if fault.CodeOf(err) != fault.Unauthenticated {
		tb.Errorf("%s: logged-out opaque token: %v, want refused", when, err)
	}
}

// TestCacheLossRevivesNothing: the cache holding the deny-list is emptied
// under a running service, as a Redis restarted empty would be; every
// revoked token stays refused.
func TestCacheLossRevivesNothing(t *testing.T) {
	e := newEnv(t, "EdDSA")
	r := revokeOneOfEach(t, e)
	wantAllRefused(t, e, r, "before the cache loss")
	e.cache.(*memstore.Cache).Flush()
	wantAllRefused(t, e, r, "after the cache loss")
}

// TestNewCacheRevivesNothing: a process started on the same store with a
// cache that never held the deny-list (a new Redis, or memory after a
// restart) refuses the revoked tokens once its revocation feed has read
// the store, which happens before it serves.
func TestNewCacheRevivesNothing(t *testing.T) {
	e := newEnv(t, "EdDSA")
	r := revokeOneOfEach(t, e)
	next, _ := e.follower(t, e.store)
	sync1(t, next) // what the app does before the process serves
	wantAllRefused(t, &env{svc: next, store: e.store, signer: e.signer, clock: e.clock}, r, "on a new cache")

	// A token the new process has never seen revoked still works.
	live := e.start(t, "u5")
	if _, err := next.Verify(context.Background(), live.AccessToken, ""); err != nil {
		t.Fatalf("a live session on the new cache: %v", err)
	}
}

// TestRevokedSetForgetsExpiredTokens: the process's own record of a
// revocation lasts as long as the family's access tokens can, and no
// longer; afterwards the token is refused as expired anyway.
func TestRevokedSetForgetsExpiredTokens(t *testing.T) {
	e := newEnv(t, "EdDSA")
	p := e.start(t, "u1")
	if err := e.svc.Logout(context.Background(), p.RefreshToken); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(testPolicy.WithDefaults().AccessTTL + sessions.Leeway + 2*time.Second)
	sync1(t, e.svc)
	e.cache.(*memstore.Cache).Flush()
	_, err := e.svc.Verify(context.Background(), p.AccessToken, "")
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenExpired)
}
