package linksvc_test

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"testing"
	"time"

	"gatehouse/adapters/linkcache"
	"gatehouse/adapters/linkcount"
	"gatehouse/adapters/memstore"
	"gatehouse/core/fault"
	"gatehouse/core/links"
	"gatehouse/core/links/linksvc"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

// world is what several replicas share: one store, one cache, one bus.
type world struct {
	store *memstore.LinkStore
	cache *memstore.Cache
	bus   *memstore.Broadcaster
	clock *porttest.Clock
}

var testPolicy = links.Policy{OwnHosts: []string{"sho.rt"}}

func newWorld(tb testing.TB) *world {
	tb.Helper()
	clock := porttest.NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	cache := memstore.NewCache(clock)
	tb.Cleanup(func() { _ = cache.Close() })
	return &world{store: memstore.NewLinkStore(), cache: cache, bus: memstore.NewBroadcaster(), clock: clock}
}

// replica is one process's link use cases with the adapters the app gives
// them: a link cache over the world's cache and bus, and a redirect
// counter over its store.
type replica struct {
	*linksvc.Service
	links   *linkcache.Cache
	counter *linkcount.Counter
}

// Stop does what the app does at a graceful stop: it ends the cache's
// subscription and closes the counter, flushing every count.
func (r *replica) Stop(ctx context.Context) error {
	return errors.Join(r.links.Stop(ctx), r.counter.Close(ctx))
}

// replica starts one replica on w, stopped in tb.Cleanup unless the test
// stops it first, its counter flushed every few milliseconds.
func (w *world) replica(tb testing.TB) *replica {
	tb.Helper()
	return w.replicaWith(tb, rand.Reader, w.clock)
}

// wallClock is the real clock, for benchmarks: a fake clock's mutex would
// dominate what they measure.
type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

func (w *world) replicaWith(tb testing.TB, random io.Reader, clock ports.Clock) *replica {
	tb.Helper()
	r := w.unstarted(tb, w.store, random, clock, testPolicy)
	if err := r.links.Start(context.Background()); err != nil {
		tb.Fatal(err)
	}
	flushEvery(tb, r.counter, 10*time.Millisecond) // flushes race with counting
	return r
}

// unstarted returns a replica over store whose cache is not subscribed,
// stopped in tb.Cleanup; its counter is flushed only by Stop.
func (w *world) unstarted(tb testing.TB, store ports.LinkStore, random io.Reader, clock ports.Clock, p links.Policy) *replica {
	tb.Helper()
	lc, err := linkcache.New(w.cache, w.bus, clock, linkcache.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	counter, err := linkcount.New(store, linkcount.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	s, err := linksvc.New(linksvc.Deps{Store: store, Cache: lc, Counter: counter, Clock: clock,
		Random: random, Policy: p})
	if err != nil {
		tb.Fatal(err)
	}
	r := &replica{Service: s, links: lc, counter: counter}
	tb.Cleanup(func() { _ = r.Stop(context.Background()) })
	return r
}

// flushEvery calls c.Flush every d until the test ends, as the app does.
func flushEvery(tb testing.TB, c ports.RedirectCounter, d time.Duration) {
	tb.Helper()
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				_ = c.Flush(context.Background())
			}
		}
	}()
	tb.Cleanup(func() { close(stop); <-done })
}

func create(tb testing.TB, s ports.Links, owner, target, alias string) links.Link {
	tb.Helper()
	l, err := s.Create(context.Background(), owner, ports.NewLink{Target: target, Alias: alias})
	if err != nil {
		tb.Fatalf("Create %q %q: %v", target, alias, err)
	}
	return l
}

func resolve(tb testing.TB, s ports.Links, alias string) string {
	tb.Helper()
	target, err := s.Resolve(context.Background(), alias)
	if err != nil {
		tb.Fatalf("Resolve %q: %v", alias, err)
	}
	return target
}

func stop(tb testing.TB, s *replica) {
	tb.Helper()
	if err := s.Stop(context.Background()); err != nil {
		tb.Fatalf("Stop: %v", err)
	}
}

// stored is the redirect count the store holds for id.
func (w *world) stored(tb testing.TB, id string) int64 {
	tb.Helper()
	l, err := w.store.LinkByID(context.Background(), id)
	if err != nil {
		tb.Fatalf("LinkByID %s: %v", id, err)
	}
	return l.Redirects
}

func wantFault(tb testing.TB, err error, code fault.Code, reason, what string) {
	tb.Helper()
	if fault.CodeOf(err) != code || fault.ReasonOf(err) != reason {
		tb.Fatalf("%s: got %v (code %q reason %q), want %q %q", what, err, fault.CodeOf(err), fault.ReasonOf(err), code, reason)
	}
}

// eventually retries f until it returns nil; it fails tb only if that has
// not happened within a generous bound, which guards against a hang and
// is no timing assertion.
func eventually(tb testing.TB, what string, f func() error) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%s: still %v", what, err)
		}
		time.Sleep(time.Millisecond)
	}
}

// ptr returns a pointer to v, for patches.
func ptr[T any](v T) *T { return &v }
