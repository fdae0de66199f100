package sessionsvc_test

import (
	"context"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

func TestLogout(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	p := e.start(t, "u1")
	next := e.rotate(t, p.RefreshToken)
	other := e.start(t, "u1")
	if err := e.svc.Logout(ctx, next.RefreshToken); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	_, err := e.svc.Rotate(ctx, next.RefreshToken, ports.DeviceInfo{})
	wantRefreshInvalid(t, err)
	for _, tok := range []string{p.AccessToken, next.AccessToken} {
		_, err = e.svc.Verify(ctx, tok, "")
		wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenRevoked)
	}
	if f, _ := e.store.Family(ctx, p.SessionID); f.Reason != "logout" {
		t.Fatalf("family reason = %q", f.Reason)
	}
	if _, err := e.svc.Verify(ctx, other.AccessToken, ""); err != nil {
		t.Fatalf("other session: %v", err)
	}
	// Logging out twice, even with an exchanged token, is fine; unknown is not.
	if err := e.svc.Logout(ctx, p.RefreshToken); err != nil {
		t.Fatalf("second Logout: %v", err)
	}
	wantRefreshInvalid(t, e.svc.Logout(ctx, "nope"))
	wantRefreshInvalid(t, e.svc.Logout(ctx, ""))
}

func TestEndSession(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	p := e.start(t, "u1")
	c, err := e.svc.Verify(ctx, p.AccessToken, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.EndSession(ctx, c.SessionID); err != nil {
		t.Fatalf("EndSession: %v", err)
	}
	_, err = e.svc.Verify(ctx, p.AccessToken, "")
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenRevoked)
	_, err = e.svc.Rotate(ctx, p.RefreshToken, ports.DeviceInfo{})
	wantRefreshInvalid(t, err)
	if err := e.svc.EndSession(ctx, c.SessionID); err != nil {
		t.Fatalf("EndSession again: %v", err)
	}
	if err := e.svc.EndSession(ctx, "unknown-session"); err != nil {
		t.Fatalf("EndSession(unknown): %v", err)
	}
	wantFault(t, e.svc.EndSession(ctx, ""), fault.Invalid, "invalid.session_id")
}

func TestEndUserSessions(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "ES256")
	a := e.start(t, "u1")
	b := e.start(t, "u1")
	other := e.start(t, "u2")
	if err := e.svc.EndUserSessions(ctx, "u1", "password"); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{a.AccessToken, b.AccessToken} {
		_, err := e.svc.Verify(ctx, p, "")
		wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenRevoked)
	}
	for _, r := range []string{a.RefreshToken, b.RefreshToken} {
		_, err := e.svc.Rotate(ctx, r, ports.DeviceInfo{})
		wantRefreshInvalid(t, err)
	}
	if f, _ := e.store.Family(ctx, a.SessionID); f.Reason != "password" {
		t.Fatalf("reason = %q", f.Reason)
	}
	if _, err := e.svc.Verify(ctx, other.AccessToken, ""); err != nil {
		t.Fatalf("other user: %v", err)
	}
	e.rotate(t, other.RefreshToken)
	wantFault(t, e.svc.EndUserSessions(ctx, "", ""), fault.Invalid, "invalid.user_id")
}

func TestVerifyExpiredAndForeign(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	p := e.start(t, "u1")
	foreign := newEnv(t, "EdDSA").start(t, "u1") // same issuer, another key
	_, err := e.svc.Verify(ctx, foreign.AccessToken, "")
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenInvalid)
	_, err = e.svc.Verify(ctx, p.AccessToken, "other-audience")
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenInvalid)
	e.clock.Advance(30*time.Minute + sessions.Leeway + time.Second)
	_, err = e.svc.Verify(ctx, p.AccessToken, "")
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenExpired)
	// The refresh token outlives the access token.
	next := e.rotate(t, p.RefreshToken)
	if _, err := e.svc.Verify(ctx, next.AccessToken, ""); err != nil {
		t.Fatal(err)
	}
}

func TestDenyListOutlivesAccessTokens(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	p := e.start(t, "u1")
	if err := e.svc.Logout(ctx, p.RefreshToken); err != nil {
		t.Fatal(err)
	}
	// Up to the last instant the token's exp (with leeway) allows, it is revoked, not valid.
	e.clock.Advance(30*time.Minute + sessions.Leeway)
	_, err := e.svc.Verify(ctx, p.AccessToken, "")
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenRevoked)
	e.clock.Advance(time.Second)
	_, err = e.svc.Verify(ctx, p.AccessToken, "")
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenExpired)
}
