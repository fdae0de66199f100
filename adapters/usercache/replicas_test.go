package usercache_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"gatehouse/adapters/memstore"
	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

// countingStore counts the reads by ID and Number that reach the store.
type countingStore struct {
	ports.UserStore
	reads atomic.Int64
}

func (c *countingStore) ByID(ctx context.Context, id string) (identity.User, error) {
	c.reads.Add(1)
	return c.UserStore.ByID(ctx, id)
}

func (c *countingStore) ByNumber(ctx context.Context, n int64) (identity.User, error) {
	c.reads.Add(1)
	return c.UserStore.ByNumber(ctx, n)
}

// cluster is two replicas, each with its cache, over one store and one broadcaster.
type cluster struct {
	store *countingStore
	a, b  ports.UserStore
	clock *porttest.Clock
	user  identity.User
}

func newCluster(tb testing.TB) *cluster {
	tb.Helper()
	clock := porttest.NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	store := &countingStore{UserStore: memstore.NewUserStore()}
	bus := memstore.NewBroadcaster()
	c := &cluster{store: store, clock: clock,
		a: started(tb, store, bus, clock), b: started(tb, store, bus, clock)}
	u, err := store.Create(context.Background(), identity.User{ID: "u1", Login: "ada", Email: "ada@example.com",
		PasswordHash: "old-hash", Roles: []string{"user"}})
	if err != nil {
		tb.Fatal(err)
	}
	c.user = u
	return c
}

// read reads the user through s and fails on an error.
func read(tb testing.TB, s ports.UserStore, id string) identity.User {
	tb.Helper()
	u, err := s.ByID(context.Background(), id)
	if err != nil {
		tb.Fatalf("ByID(%s): %v", id, err)
	}
	return u
}

// waitFor reads through s until ok holds of the answer; the broadcast
// reaches the other replica asynchronously, within microseconds here.
func waitFor(tb testing.TB, s ports.UserStore, id string, ok func(identity.User, error) bool) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		u, err := s.ByID(context.Background(), id)
		if ok(u, err) {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("replica still answers %+v, %v", u, err)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestRepeatedReadsAreServedFromMemory(t *testing.T) {
	c := newCluster(t)
	for range 5 {
		read(t, c.a, "u1")
		if u, err := c.a.ByNumber(context.Background(), c.user.Number); err != nil || u.ID != "u1" {
			t.Fatalf("ByNumber = %+v, %v", u, err)
		}
	}
	if n := c.store.reads.Load(); n != 1 {
		t.Fatalf("%d reads reached the store, want 1", n)
	}
	// A caller changing what it got does not change the cache.
	u := read(t, c.a, "u1")
	u.Roles[0] = "admin"
	if got := read(t, c.a, "u1"); got.Roles[0] != "user" {
		t.Fatalf("cached roles changed by a caller: %v", got.Roles)
	}
}

// TestWriteOnOneReplicaIsSeenOnTheOther: a block, a role change, a password
// reset and a deletion made through replica b replace what replica a holds.
func TestWriteOnOneReplicaIsSeenOnTheOther(t *testing.T) {
	tests := []struct {
		name   string
		change func(u *identity.User)
		seen   func(identity.User) bool
	}{
		{"block", func(u *identity.User) { u.Status = identity.StatusBlocked },
			func(u identity.User) bool { return !u.Active() }},
		{"role change", func(u *identity.User) { u.Roles = []string{"user", "admin"} },
			func(u identity.User) bool { return len(u.Roles) == 2 }},
		{"password reset", func(u *identity.User) { u.PasswordHash = "new-hash" },
			func(u identity.User) bool { return u.PasswordHash == "new-hash" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCluster(t)
			read(t, c.a, "u1") // a holds it now
			u := read(t, c.b, "u1")
			tt.change(&u)
			if err := c.b.Update(context.Background(), u); err != nil {
				t.Fatal(err)
			}
			if got := read(t, c.b, "u1"); !tt.seen(got) {
				t.Fatalf("the writing replica answers %+v", got)
			}
			waitFor(t, c.a, "u1", func(u identity.User, err error) bool { return err == nil && tt.seen(u) })
		})
	}
	t.Run("delete", func(t *testing.T) {
		c := newCluster(t)
		read(t, c.a, "u1")
		if err := c.b.Delete(context.Background(), "u1"); err != nil {
			t.Fatal(err)
		}
		waitFor(t, c.a, "u1", func(_ identity.User, err error) bool { return fault.Is(err, fault.NotFound) })
	})
}

// TestWriterOutsideTheBroadcastIsSeenWithinTheTTL: a change written to the
// store directly (a command beside the service on process memory) is
// served from the cache until the copy is a TTL old, never longer.
func TestWriterOutsideTheBroadcastIsSeenWithinTheTTL(t *testing.T) {
	c := newCluster(t)
	u := read(t, c.a, "u1")
	u.Status = identity.StatusBlocked
	if err := c.store.Update(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	if got := read(t, c.a, "u1"); !got.Active() {
		t.Fatal("the copy was dropped without a broadcast; this test needs it held")
	}
	c.clock.Advance(time.Second) // usercache.DefaultTTL
	if got := read(t, c.a, "u1"); got.Active() {
		t.Fatal("a copy older than the TTL was served")
	}
}

// TestStaleConflictDropsTheCopy: an Update refused as stale proves this
// replica's copy is behind, so it goes.
func TestStaleConflictDropsTheCopy(t *testing.T) {
	c := newCluster(t)
	stale := read(t, c.a, "u1")
	fresh := stale
	fresh.FirstName = "Ada"
	if err := c.store.Update(context.Background(), fresh); err != nil { // outside the broadcast
		t.Fatal(err)
	}
	stale.LastName = "Lovelace"
	err := c.a.Update(context.Background(), stale)
	if fault.ReasonOf(err) != "identity.stale_user" {
		t.Fatalf("Update = %v, want identity.stale_user", err)
	}
	if got := read(t, c.a, "u1"); got.FirstName != "Ada" {
		t.Fatalf("after the conflict the replica still answers %+v", got)
	}
}
