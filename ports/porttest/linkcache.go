package porttest

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/links"
	"gatehouse/ports"
)

// LinkCacheHarness builds the replicas of RunLinkCache.
type LinkCacheHarness struct {
	// Backing returns what one deployment's replicas share: a cache and a
	// broadcaster of their own (own key prefix or process), released in
	// tb.Cleanup.
	Backing func(tb testing.TB) (ports.Cache, ports.Broadcaster)
	// New returns an unstarted replica over shared and bus, reading the
	// time from clock. The suite starts and stops it.
	New func(tb testing.TB, shared ports.Cache, bus ports.Broadcaster, clock ports.Clock) ports.LinkCache
	// LocalTTL is the longest a replica New makes serves a copy it heard
	// no invalidation of.
	LocalTTL time.Duration
	// NoSharedTier says the replicas keep no second tier (their cache is
	// the process's own memory): no replica is served another's copy.
	NoSharedTier bool
}

// RunLinkCache checks the ports.LinkCache contract.
func RunLinkCache(t *testing.T, h LinkCacheHarness) {
	tests := []struct {
		name string
		run  func(t *testing.T, w *cacheWorld)
	}{
		{"Get loads once and serves its copy", lcLoadOnce},
		{"Get returns the source's errors and keeps nothing", lcSourceErrors},
		{"An alias the source refuses is read from no tier", lcAdmitFirst},
		{"Replicas share copies through the shared tier", lcSharedTier},
		{"Invalidate drops copies here, in the shared tier and on every replica", lcInvalidate},
		{"Invalidate takes several aliases", lcInvalidateMany},
		{"A load that raced an invalidation here is kept nowhere", lcRaceHere},
		{"A load that raced another replica's invalidation does not outlive it", lcRaceThere},
		{"A copy shared before its replica heard an invalidation serves none that heard it", lcRaceShared},
		{"Fills racing invalidations on three replicas settle on the last change", lcRaceMany},
		{"A replica that missed a broadcast serves its copy for LocalTTL at most", lcMissedBroadcast},
		{"A lost subscription drops every copy and keeps none until subscribed again", lcLostSubscription},
		{"Copies are kept only between Start and Stop", lcStartStop},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if h.NoSharedTier && tt.name == "Replicas share copies through the shared tier" {
				t.Skip("the replicas keep no second tier")
			}
			t.Parallel()
			shared, bus := h.Backing(t)
			tt.run(t, &cacheWorld{h: h, shared: shared, bus: bus, clock: NewClock(base), data: &linkData{m: map[string]links.Link{}}})
		})
	}
}

// cacheWorld is one deployment: a shared tier, a broadcaster, a clock and
// the links in the store.
type cacheWorld struct {
	h      LinkCacheHarness
	shared ports.Cache
	bus    ports.Broadcaster
	clock  *Clock
	data   *linkData
}

// unstarted returns a replica on bus that the test starts, if at all;
// it is stopped in tb.Cleanup.
func (w *cacheWorld) unstarted(tb testing.TB, bus ports.Broadcaster) ports.LinkCache {
	tb.Helper()
	c := w.h.New(tb, w.shared, bus, w.clock)
	tb.Cleanup(func() { _ = c.Stop(context.Background()) })
	return c
}

// replica returns a started replica on the world's broadcaster.
func (w *cacheWorld) replica(tb testing.TB) ports.LinkCache {
	tb.Helper()
	return w.replicaOn(tb, w.bus)
}

func (w *cacheWorld) replicaOn(tb testing.TB, bus ports.Broadcaster) ports.LinkCache {
	tb.Helper()
	c := w.unstarted(tb, bus)
	must(tb, c.Start(context.Background()), "Start")
	return c
}

// source returns a source of the world's links with its own count of loads.
func (w *cacheWorld) source() *linkSource { return &linkSource{data: w.data} }

// set stores the link alias -> target.
func (w *cacheWorld) set(alias, target string) {
	w.data.mu.Lock()
	defer w.data.mu.Unlock()
	w.data.m[alias] = links.Link{ID: "id-" + alias, Alias: alias, Target: target, OwnerID: "u1",
		CreatedAt: base, UpdatedAt: base}
}

// linkData is the store's links by alias.
type linkData struct {
	mu sync.Mutex
	m  map[string]links.Link
}

// linkSource is a ports.LinkSource over linkData that counts its loads.
type linkSource struct {
	data   *linkData
	loads  atomic.Int64
	refuse string       // the alias Admit refuses
	fail   error        // what Load returns when set
	hold   func()       // when set, Load calls it after reading the link
	holdMu sync.RWMutex // guards hold
}

func (s *linkSource) Admit(alias string) error {
	if alias == s.refuse {
		return links.NotFound()
	}
	return nil
}

func (s *linkSource) Load(_ context.Context, alias string) (links.Link, error) {
	s.loads.Add(1)
	if s.fail != nil {
		return links.Link{}, s.fail
	}
	s.data.mu.Lock()
	l, ok := s.data.m[alias]
	s.data.mu.Unlock()
	s.holdMu.RLock()
	hold := s.hold
	s.holdMu.RUnlock()
	if hold != nil {
		hold()
	}
	if !ok {
		return links.Link{}, links.NotFound()
	}
	return l, nil
}

func (s *linkSource) setHold(f func()) {
	s.holdMu.Lock()
	defer s.holdMu.Unlock()
	s.hold = f
}

// target is what c serves for alias through src.
func target(tb testing.TB, c ports.LinkCache, src ports.LinkSource, alias string) string {
	tb.Helper()
	l, err := c.Get(context.Background(), alias, src)
	must(tb, err, "Get "+alias)
	if l.Alias != alias {
		tb.Fatalf("Get %q returned the link of %q", alias, l.Alias)
	}
	return l.Target
}

func wantTarget(tb testing.TB, c ports.LinkCache, src ports.LinkSource, alias, want, what string) {
	tb.Helper()
	if got := target(tb, c, src, alias); got != want {
		tb.Fatalf("%s: Get %q = %q, want %q", what, alias, got, want)
	}
}

// eventuallyTarget waits until c serves want for alias: what a broadcast
// reaching another replica brings. The bound guards against a hang only.
func eventuallyTarget(tb testing.TB, c ports.LinkCache, src ports.LinkSource, alias, want, what string) {
	tb.Helper()
	deadline := time.Now().Add(deliveryWait)
	for target(tb, c, src, alias) != want {
		if time.Now().After(deadline) {
			tb.Fatalf("%s: Get %q still not %q after %s", what, alias, want, deliveryWait)
		}
		time.Sleep(time.Millisecond)
	}
}

func wantLoads(tb testing.TB, src *linkSource, want int64, what string) {
	tb.Helper()
	if got := src.loads.Load(); got != want {
		tb.Fatalf("%s: %d loads, want %d", what, got, want)
	}
}

func lcLoadOnce(t *testing.T, w *cacheWorld) {
	a, src := w.replica(t), w.source()
	w.set("abc", "https://example.com/1")
	for range 3 {
		wantTarget(t, a, src, "abc", "https://example.com/1", "Get")
	}
	wantLoads(t, src, 1, "three Gets")
}

func lcSourceErrors(t *testing.T, w *cacheWorld) {
	a, src := w.replica(t), w.source()
	for i := range 2 {
		_, err := a.Get(context.Background(), "unknown", src)
		wantFault(t, err, fault.NotFound, links.ReasonNotFound, "Get of an unknown alias")
		wantLoads(t, src, int64(i+1), "Gets of an unknown alias")
	}
	w.set("abc", "https://example.com/1")
	src.fail = fault.New(fault.Unavailable, "storage.unavailable", "Storage is unavailable.")
	_, err := a.Get(context.Background(), "abc", src)
	wantFault(t, err, fault.Unavailable, "storage.unavailable", "Get while storage is down")
	src.fail = nil
	wantTarget(t, a, src, "abc", "https://example.com/1", "Get after the outage")
	wantLoads(t, src, 4, "after a failed and a good load")
}

func lcAdmitFirst(t *testing.T, w *cacheWorld) {
	a, b := w.replica(t), w.replica(t)
	srcA, srcB := w.source(), w.source()
	srcB.refuse = "word"
	w.set("word", "https://example.com/w")
	wantTarget(t, a, srcA, "word", "https://example.com/w", "the admitting replica")
	_, err := b.Get(context.Background(), "word", srcB)
	wantFault(t, err, fault.NotFound, links.ReasonNotFound, "Get of a refused alias that another replica shared")
	wantLoads(t, srcB, 0, "a refused alias")
	wantTarget(t, a, srcA, "word", "https://example.com/w", "the admitting replica again")
}

func lcSharedTier(t *testing.T, w *cacheWorld) {
	a, b := w.replica(t), w.replica(t)
	srcA, srcB := w.source(), w.source()
	w.set("abc", "https://example.com/1")
	wantTarget(t, a, srcA, "abc", "https://example.com/1", "first replica")
	wantTarget(t, b, srcB, "abc", "https://example.com/1", "second replica")
	wantLoads(t, srcA, 1, "first replica")
	wantLoads(t, srcB, 0, "second replica, served from the shared tier")
}

func lcInvalidate(t *testing.T, w *cacheWorld) {
	a, b, c := w.replica(t), w.replica(t), w.replica(t)
	src := w.source()
	w.set("abc", "https://example.com/old")
	wantTarget(t, a, src, "abc", "https://example.com/old", "a")
	wantTarget(t, b, src, "abc", "https://example.com/old", "b")
	w.set("abc", "https://example.com/new")
	b.Invalidate(context.Background(), "abc")
	wantTarget(t, b, src, "abc", "https://example.com/new", "the invalidating replica")
	wantTarget(t, c, src, "abc", "https://example.com/new", "a replica that held no copy")
	eventuallyTarget(t, a, src, "abc", "https://example.com/new", "a replica that held a copy")
}

func lcInvalidateMany(t *testing.T, w *cacheWorld) {
	a, src := w.replica(t), w.source()
	w.set("one", "https://example.com/1")
	w.set("two", "https://example.com/2")
	wantTarget(t, a, src, "one", "https://example.com/1", "one")
	wantTarget(t, a, src, "two", "https://example.com/2", "two")
	w.set("one", "https://example.com/1b")
	w.set("two", "https://example.com/2b")
	a.Invalidate(context.Background(), "one", "never-cached", "two")
	a.Invalidate(context.Background())
	wantTarget(t, a, src, "one", "https://example.com/1b", "one after Invalidate")
	wantTarget(t, a, src, "two", "https://example.com/2b", "two after Invalidate")
}

func lcMissedBroadcast(t *testing.T, w *cacheWorld) {
	deaf := w.replicaOn(t, deafBus{w.bus})
	b, src := w.replica(t), w.source()
	w.set("abc", "https://example.com/old")
	wantTarget(t, deaf, src, "abc", "https://example.com/old", "before the change")
	w.set("abc", "https://example.com/new")
	b.Invalidate(context.Background(), "abc")
	w.clock.Advance(w.h.LocalTTL)
	wantTarget(t, deaf, src, "abc", "https://example.com/new", "LocalTTL after the read")
}

func lcStartStop(t *testing.T, w *cacheWorld) {
	ctx := context.Background()
	c, other := w.unstarted(t, w.bus), w.replica(t)
	src, otherSrc := w.source(), w.source()
	w.set("abc", "https://example.com/1")
	target(t, c, src, "abc")
	target(t, c, src, "abc")
	wantLoads(t, src, 2, "two Gets before Start")
	target(t, other, otherSrc, "abc")
	wantLoads(t, otherSrc, 1, "a started replica after an unstarted one read (nothing shared)")

	must(t, c.Start(ctx), "Start")
	if err := c.Start(ctx); err == nil {
		t.Fatal("second Start: nil error")
	}
	target(t, c, src, "abc")
	target(t, c, src, "abc")
	afterStart := int64(2) // the other replica's shared copy, then this one's own
	if w.h.NoSharedTier {
		afterStart = 3 // its own load, then its own copy
	}
	wantLoads(t, src, afterStart, "two Gets after Start")

	must(t, c.Stop(ctx), "Stop")
	must(t, c.Stop(ctx), "second Stop")
	target(t, c, src, "abc")
	target(t, c, src, "abc")
	wantLoads(t, src, afterStart+2, "two Gets after Stop")
	if err := c.Start(ctx); err == nil {
		t.Fatal("Start after Stop: nil error")
	}
}
