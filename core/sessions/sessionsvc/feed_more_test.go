package sessionsvc_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gatehouse/core/sessions"
)

// More families revoked at one instant than one page holds are all applied
// by one sync.
func TestRevocationFeedPagesPastOneInstant(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	svc, cache := e.follower(t, e.store)
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
			svc, _ := e.follower(t, e.store)
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
	svc, _ := e.follower(t, e.store)
	wantVerify(t, svc, p.AccessToken, false) // an empty cache knows nothing
	sync1(t, svc)
	wantVerify(t, svc, p.AccessToken, true)
}
