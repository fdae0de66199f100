package sessionsvc_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"maps"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/core/sessions/sessionsvc"
)

// More families revoked at one instant than one page holds are all applied
// by one sync.
func TestRevocationFeedPagesPastOneInstant(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	svc, cache := e.follower(t, e.store, 0)
	sync1(t, svc)
	const n = 600 // over two pages
	now := e.clock.Now()
	for i := range n {
		f := sessions.Family{ID: fmt.Sprintf("f%03d", i), UserID: "u1", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
		if err := e.store.CreateFamily(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.store.RevokeUserFamilies(ctx, "u1", now, "admin"); err != nil {
		t.Fatal(err)
	}
	sync1(t, svc)
	if got := cache.take(); len(got) != n {
		t.Fatalf("one sync applied %d families, want %d", len(got), n)
	}
}

// Revocations stamped by clocks that disagree with this process's are
// still applied: one stamped a little earlier than the newest seen (a
// lagging writer, a slow write), and one stamped now after a writer whose
// clock runs an hour ahead.
func TestRevocationFeedToleratesClockSkew(t *testing.T) {
	tests := []struct {
		name          string
		first, second time.Duration // stamps, from this process's now
	}{
		{"a lagging writer", 0, -5 * time.Second},
		{"after a writer an hour ahead", time.Hour, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, "EdDSA")
			svc, _ := e.follower(t, e.store, 0)
			a, b := e.start(t, "u1"), e.start(t, "u2")
			sync1(t, svc)
			e.clock.Advance(time.Minute)
			if err := e.store.RevokeFamily(ctx, a.SessionID, e.clock.Now().Add(tt.first), "admin"); err != nil {
				t.Fatal(err)
			}
			sync1(t, svc)
			wantVerify(t, svc, a.AccessToken, true)
			e.clock.Advance(time.Second)
			if err := e.store.RevokeFamily(ctx, b.SessionID, e.clock.Now().Add(tt.second), "admin"); err != nil {
				t.Fatal(err)
			}
			sync1(t, svc)
			wantVerify(t, svc, b.AccessToken, true)
		})
	}
}

// A process started after a revocation, with an empty cache, refuses the
// revoked session's access tokens as soon as the feed has started.
func TestRevocationFeedCatchesUpAtStart(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	p := e.start(t, "u1")
	if err := e.svc.EndSession(ctx, p.SessionID); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(20 * time.Minute)
	svc, _ := e.follower(t, e.store, time.Hour)
	wantVerify(t, svc, p.AccessToken, false) // an empty cache knows nothing
	if err := svc.StartRevocationFeed(ctx); err != nil {
		t.Fatalf("StartRevocationFeed: %v", err)
	}
	t.Cleanup(func() { _ = svc.StopRevocationFeed(ctx) })
	wantVerify(t, svc, p.AccessToken, true)
}

func TestRevocationFeedRunsUntilStopped(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	store := &countingStore{next: e.store}
	svc, _ := e.follower(t, store, time.Millisecond)
	p := e.start(t, "u1")
	if err := svc.StartRevocationFeed(ctx); err != nil {
		t.Fatalf("StartRevocationFeed: %v", err)
	}
	if err := svc.StartRevocationFeed(ctx); err == nil {
		t.Fatal("a second StartRevocationFeed succeeded")
	}
	if err := e.store.RevokeFamily(ctx, p.SessionID, e.clock.Now(), "admin"); err != nil {
		t.Fatal(err)
	}
	// No sync is called here: only the polling can make this end.
	for {
		if _, err := svc.Verify(ctx, p.AccessToken, ""); fault.ReasonOf(err) == sessions.ReasonTokenRevoked {
			break
		}
		time.Sleep(time.Millisecond)
	}
	for range 2 {
		if err := svc.StopRevocationFeed(ctx); err != nil {
			t.Fatalf("StopRevocationFeed: %v", err)
		}
	}
	// Stop waited for the poller, so no feed read can follow it; the pause
	// gives a poller that had survived time to show itself.
	store.take()
	time.Sleep(20 * time.Millisecond)
	if got := store.take(); !maps.Equal(got, map[string]int{}) {
		t.Fatalf("store calls after StopRevocationFeed: %v", got)
	}
	if err := svc.StartRevocationFeed(ctx); err == nil {
		t.Fatal("StartRevocationFeed after Stop succeeded")
	}
}

func TestNewRefusesNegativeRevocationPoll(t *testing.T) {
	e := newEnv(t, "EdDSA")
	_, err := sessionsvc.New(sessionsvc.Deps{Store: e.store, Signer: e.signer, Cache: e.cache, Clock: e.clock,
		Random: rand.Reader, Policy: testPolicy, RevocationPoll: -time.Second})
	if err == nil {
		t.Fatal("New accepted a negative revocation poll interval")
	}
}
