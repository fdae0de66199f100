package sessionsvc_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

func TestConcurrentRotateHasOneWinnerThenRevokes(t *testing.T) {
	for _, n := range []int{2, 16} {
		e := newEnv(t, "EdDSA")
		p := e.start(t, "u1")
		pairs := make([]ports.TokenPair, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				pairs[i], errs[i] = e.svc.Rotate(context.Background(), p.RefreshToken, ports.DeviceInfo{})
			})
		}
		close(start)
		wg.Wait()
		var won []ports.TokenPair
		for i, err := range errs {
			if err == nil {
				won = append(won, pairs[i])
				continue
			}
			wantRefreshInvalid(t, err)
		}
		if len(won) != 1 {
			t.Fatalf("%d concurrent rotations: %d succeeded, want exactly 1", n, len(won))
		}
		// The losers were reuses: the family is revoked, the winner's pair with it.
		_, err := e.svc.Rotate(context.Background(), won[0].RefreshToken, ports.DeviceInfo{})
		wantRefreshInvalid(t, err)
		if !errors.Is(err, sessions.ErrFamilyRevoked) {
			t.Fatalf("winner's token refused for %v, want a revoked family", err)
		}
		_, err = e.svc.Verify(context.Background(), won[0].AccessToken, "")
		wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenRevoked)
		f, _ := e.store.Family(context.Background(), p.SessionID)
		if f.Reason != "reuse" {
			t.Fatalf("family revoked for %q, want reuse", f.Reason)
		}
	}
}

func TestReuseOfOldTokenRevokesNewest(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	p1 := e.start(t, "u1")
	p2 := e.rotate(t, p1.RefreshToken)
	p3 := e.rotate(t, p2.RefreshToken)
	unrelated := e.start(t, "u1")

	_, err := e.svc.Rotate(ctx, p1.RefreshToken, ports.DeviceInfo{}) // the thief replays the first token
	wantRefreshInvalid(t, err)
	if !errors.Is(err, sessions.ErrRefreshReused) {
		t.Fatalf("replay refused for %v, want reuse", err)
	}
	_, err = e.svc.Rotate(ctx, p3.RefreshToken, ports.DeviceInfo{})
	wantRefreshInvalid(t, err)
	for _, tok := range []string{p1.AccessToken, p2.AccessToken, p3.AccessToken} {
		_, err := e.svc.Verify(ctx, tok, "")
		wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenRevoked)
	}
	// Another sign-in of the same user is a different family and lives on.
	if _, err := e.svc.Verify(ctx, unrelated.AccessToken, ""); err != nil {
		t.Fatalf("unrelated session: %v", err)
	}
	e.rotate(t, unrelated.RefreshToken)
}

func TestRotateRefuses(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	expired := e.start(t, "u1")
	e.clock.Advance(720*time.Hour - time.Minute)
	live := e.start(t, "u1")
	e.clock.Advance(time.Minute)
	tests := []struct {
		name  string
		token string
		cause error
	}{
		{"empty", "", sessions.ErrRefreshUnknown},
		{"unknown", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", sessions.ErrRefreshUnknown},
		{"expired", expired.RefreshToken, sessions.ErrRefreshExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.Rotate(ctx, tt.token, ports.DeviceInfo{})
			wantRefreshInvalid(t, err)
			if !errors.Is(err, tt.cause) {
				t.Fatalf("cause = %v, want %v", err, tt.cause)
			}
		})
	}
	e.rotate(t, live.RefreshToken)
}

func TestSessionEndsAtSessionTTL(t *testing.T) {
	e := newEnv(t, "EdDSA")
	p := e.start(t, "u1")
	// Refreshing every 20 days keeps the session alive until its absolute end.
	for e.clock.Now().Add(20 * 24 * time.Hour).Before(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC).Add(sessions.DefaultSessionTTL)) {
		e.clock.Advance(20 * 24 * time.Hour)
		p = e.rotate(t, p.RefreshToken)
	}
	e.clock.Advance(20 * 24 * time.Hour)
	_, err := e.svc.Rotate(context.Background(), p.RefreshToken, ports.DeviceInfo{})
	wantRefreshInvalid(t, err)
	if !errors.Is(err, sessions.ErrFamilyExpired) && !errors.Is(err, sessions.ErrRefreshExpired) {
		t.Fatalf("cause = %v, want an expired family", err)
	}
}
