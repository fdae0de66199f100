package usercache_test

import (
	"context"
	"testing"
	"time"

	"gatehouse/adapters/memstore"
	"gatehouse/adapters/usercache"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

// started returns a started Store in front of next on bus, stopped at cleanup.
func started(tb testing.TB, next ports.UserStore, bus ports.Broadcaster, clock ports.Clock) *usercache.Store {
	tb.Helper()
	s, err := usercache.New(next, bus, clock, usercache.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	if err := s.Start(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Stop(context.Background()) })
	return s
}

// TestUserStoreContract: the cache in front of a store is the same store to
// its callers.
func TestUserStoreContract(t *testing.T) {
	porttest.RunUserStore(t, func(tb testing.TB) ports.UserStore {
		clock := porttest.NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
		return started(tb, memstore.NewUserStore(), memstore.NewBroadcaster(), clock)
	})
}
