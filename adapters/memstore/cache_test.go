package memstore

import (
	"sync"
	"testing"
	"time"

	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

func newFakeClock() *porttest.Clock {
	return porttest.NewClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
}

func newTestCache(tb testing.TB, clock ports.Clock) *Cache {
	tb.Helper()
	c := NewCache(clock)
	tb.Cleanup(func() { _ = c.Close() })
	return c
}

func TestCache(t *testing.T) {
	var clocks sync.Map // testing.TB -> *porttest.Clock of the cache made for it
	porttest.RunCache(t, porttest.CacheHarness{
		New: func(tb testing.TB) ports.Cache {
			clock := newFakeClock()
			clocks.Store(tb, clock)
			tb.Cleanup(func() { clocks.Delete(tb) })
			return newTestCache(tb, clock)
		},
		Advance: func(tb testing.TB, d time.Duration) {
			tb.Helper()
			clock, ok := clocks.Load(tb)
			if !ok {
				tb.Fatalf("Advance: no cache was made for this test")
			}
			clock.(*porttest.Clock).Advance(d)
		},
	})
}

func TestCacheRealClock(t *testing.T) {
	c := newTestCache(t, nil)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(c.Set(t.Context(), "k", []byte("v"), time.Hour))
	if v, ok, err := c.Get(t.Context(), "k"); err != nil || !ok || string(v) != "v" {
		t.Fatalf("Get = %q, %v, %v; want v, true, nil", v, ok, err)
	}
	must(c.Set(t.Context(), "k", []byte("v"), time.Nanosecond))
	time.Sleep(time.Millisecond)
	if _, ok, err := c.Get(t.Context(), "k"); err != nil || ok {
		t.Fatalf("Get after expiry = %v, %v; want false, nil", ok, err)
	}
}

func TestCacheSweepsExpiredEntries(t *testing.T) {
	clock := newFakeClock()
	c := newTestCache(t, clock)
	const writes = 20 * shardCount * sweepMinWrites
	for i := range writes {
		key := string(rune('a'+i%26)) + time.Duration(i).String()
		if err := c.Set(t.Context(), key, []byte("x"), time.Second); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Second) // every entry is expired before the next write
	}
	if n := c.entries(); n > 2*shardCount*sweepMinWrites {
		t.Fatalf("%d entries held after %d writes of short-lived keys, want at most %d", n, writes, 2*shardCount*sweepMinWrites)
	}
}

func TestCacheCloseIsIdempotent(t *testing.T) {
	c := NewCache(nil)
	for range 2 {
		if err := c.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
	}
	if err := c.Set(t.Context(), "k", []byte("v"), 0); err != nil {
		t.Fatalf("Set after Close: %v", err)
	}
}

// entries counts stored entries, expired ones included.
func (c *Cache) entries() int {
	n := 0
	for i := range c.shards {
		c.shards[i].mu.RLock()
		n += len(c.shards[i].items)
		c.shards[i].mu.RUnlock()
	}
	return n
}

func TestCacheGetAllocatesOnlyTheCopy(t *testing.T) {
	c := newTestCache(t, nil)
	ctx := t.Context()
	if err := c.Set(ctx, "deny:jti:0123456789", []byte("1"), time.Hour); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(100, func() {
		if _, ok, _ := c.Get(ctx, "deny:jti:0123456789"); !ok {
			t.Fatal("Get missed")
		}
	})
	if allocs > 1 {
		t.Fatalf("Get of a live entry: %.1f allocations, want 1 (the copy)", allocs)
	}
	allocs = testing.AllocsPerRun(100, func() { _, _, _ = c.Get(ctx, "absent") })
	if allocs != 0 {
		t.Fatalf("Get of an absent key: %.1f allocations, want 0", allocs)
	}
}

func BenchmarkCacheGet(b *testing.B) {
	c := newTestCache(b, nil)
	ctx := b.Context()
	if err := c.Set(ctx, "k", []byte("value"), time.Hour); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_, _, _ = c.Get(ctx, "k")
		}
	})
}
