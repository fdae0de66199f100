package usercache_test

import (
	"context"
	"testing"
	"time"

	"gatehouse/adapters/memstore"
	"gatehouse/core/identity"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

// TestLostSubscriptionPurgesEverything: while a replica cannot hear
// invalidations it holds no copy and caches nothing, and once subscribed
// again it caches afresh.
func TestLostSubscriptionPurgesEverything(t *testing.T) {
	ctx := context.Background()
	clock := porttest.NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	store := &countingStore{UserStore: memstore.NewUserStore()}
	flaky := porttest.NewFlakyBus(memstore.NewBroadcaster())
	a := started(t, store, flaky, clock)
	<-flaky.Subscribed()
	b := started(t, store, flaky.Broadcaster, clock)
	if _, err := store.Create(ctx, identity.User{ID: "u1", Login: "ada"}); err != nil {
		t.Fatal(err)
	}
	u := read(t, a, "u1")

	flaky.CutAll()
	<-flaky.Subscribed() // a is subscribing again, held back
	u.Status = identity.StatusBlocked
	if err := b.Update(ctx, u); err != nil { // a cannot hear this
		t.Fatal(err)
	}
	before := store.reads.Load()
	for range 3 {
		if got := read(t, a, "u1"); got.Active() {
			t.Fatal("a served its copy from before the lost subscription")
		}
	}
	if n := store.reads.Load() - before; n != 3 {
		t.Fatalf("unsubscribed, %d of 3 reads reached the store", n)
	}

	flaky.Release()
	waitCaching(t, a, store)
}

// waitCaching waits until two reads of u1 through s cost the store one read.
func waitCaching(tb testing.TB, s ports.UserStore, store *countingStore) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		before := store.reads.Load()
		read(tb, s, "u1")
		read(tb, s, "u1")
		if store.reads.Load()-before == 1 {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatal("the replica never cached again after subscribing")
		}
		time.Sleep(time.Millisecond)
	}
}

// TestNothingCachedUnlessStarted: without its subscription a Store is the
// store it wraps.
func TestNothingCachedUnlessStarted(t *testing.T) {
	ctx := context.Background()
	clock := porttest.NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	store := &countingStore{UserStore: memstore.NewUserStore()}
	bus := memstore.NewBroadcaster()
	if _, err := store.Create(ctx, identity.User{ID: "u1", Login: "ada"}); err != nil {
		t.Fatal(err)
	}
	s := started(t, store, bus, clock)
	read(t, s, "u1")
	read(t, s, "u1")
	if err := s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	read(t, s, "u1")
	read(t, s, "u1")
	if n := store.reads.Load(); n != 3 {
		t.Fatalf("%d reads reached the store, want 3 (1 started, 2 stopped)", n)
	}
}
