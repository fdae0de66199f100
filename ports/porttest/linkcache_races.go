package porttest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"gatehouse/ports"
)

// loadRacing starts Get of alias on c through src, whose Load reads the
// link and then waits until the returned release is called; it returns
// once that Load has read, with the channel the Get's target arrives on.
func loadRacing(tb testing.TB, c ports.LinkCache, src *linkSource, alias string) (release func(), got <-chan string) {
	tb.Helper()
	read, unblock, out := make(chan struct{}), make(chan struct{}), make(chan string, 1)
	var once sync.Once
	src.setHold(func() { once.Do(func() { close(read); <-unblock }) })
	go func() {
		l, err := c.Get(context.Background(), alias, src)
		if err != nil {
			tb.Errorf("racing Get %q: %v", alias, err)
		}
		out <- l.Target
	}()
	<-read
	return func() { close(unblock) }, out
}

func lcRaceHere(t *testing.T, w *cacheWorld) {
	a, src := w.replica(t), w.source()
	w.set("abc", "https://example.com/old")
	release, got := loadRacing(t, a, src, "abc")
	w.set("abc", "https://example.com/new")
	a.Invalidate(context.Background(), "abc")
	release()
	if old := <-got; old != "https://example.com/old" {
		t.Fatalf("the racing Get served %q, want the link it read", old)
	}
	src.setHold(nil)
	wantTarget(t, a, src, "abc", "https://example.com/new", "the next Get on the replica")
	wantLoads(t, src, 2, "the racing Get and the next")
	wantTarget(t, w.replica(t), w.source(), "abc", "https://example.com/new", "a fresh replica (shared tier)")
}

func lcRaceThere(t *testing.T, w *cacheWorld) {
	a, b, src := w.replica(t), w.replica(t), w.source()
	w.set("abc", "https://example.com/old")
	release, got := loadRacing(t, a, src, "abc")
	w.set("abc", "https://example.com/new")
	b.Invalidate(context.Background(), "abc")
	release()
	if old := <-got; old != "https://example.com/old" {
		t.Fatalf("the racing Get served %q, want the link it read", old)
	}
	src.setHold(nil)
	eventuallyTarget(t, a, src, "abc", "https://example.com/new", "the racing replica")
	wantTarget(t, b, w.source(), "abc", "https://example.com/new", "the invalidating replica")
	wantTarget(t, w.replica(t), w.source(), "abc", "https://example.com/new", "a fresh replica (shared tier)")
}

// lcRaceShared: replica r reads the old link, and before r hears of the
// change another replica q, which has heard, misses: r's copy of the old
// link, written to the shared tier meanwhile, must not serve q.
func lcRaceShared(t *testing.T, w *cacheWorld) {
	held := &heldBus{Broadcaster: w.bus, open: make(chan struct{})}
	r := w.replicaOn(t, held)
	q, b := w.replica(t), w.replica(t)
	srcR, srcQ := w.source(), w.source()
	w.set("abc", "https://example.com/old")
	release, got := loadRacing(t, r, srcR, "abc")
	wantTarget(t, q, srcQ, "abc", "https://example.com/old", "q before the change")
	w.set("abc", "https://example.com/new")
	b.Invalidate(context.Background(), "abc")
	// q's loads fail from now on, so it keeps nothing: its first error
	// shows it has heard and dropped its copy.
	srcQ.fail = errors.New("source down")
	deadline := time.Now().Add(deliveryWait)
	for {
		if _, err := q.Get(context.Background(), "abc", srcQ); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("q did not hear the invalidation within %s", deliveryWait)
		}
		time.Sleep(time.Millisecond)
	}
	srcQ.fail = nil
	release()
	if old := <-got; old != "https://example.com/old" {
		t.Fatalf("the racing Get served %q, want the link it read", old)
	}
	srcR.setHold(nil)
	wantTarget(t, q, srcQ, "abc", "https://example.com/new", "q after r shared what it read")
	close(held.open)
	eventuallyTarget(t, r, srcR, "abc", "https://example.com/new", "r once it hears")
	wantTarget(t, w.replica(t), w.source(), "abc", "https://example.com/new", "a fresh replica (shared tier)")
}

// lcRaceMany: three replicas serve one alias from racers goroutines each
// while it changes 50 times, each change invalidated through one of them
// in turn; then every replica, and a fresh one, serves the last change.
func lcRaceMany(t *testing.T, w *cacheWorld) {
	replicas := []ports.LinkCache{w.replica(t), w.replica(t), w.replica(t)}
	version := func(i int) string { return fmt.Sprint("https://example.com/v", i) }
	w.set("abc", version(0))
	done := make(chan struct{})
	var readers sync.WaitGroup
	for _, c := range replicas {
		src := w.source()
		for range racers {
			readers.Go(func() {
				for {
					select {
					case <-done:
						return
					default:
					}
					if _, err := c.Get(context.Background(), "abc", src); err != nil {
						t.Errorf("Get: %v", err)
						return
					}
				}
			})
		}
	}
	const changes = 50
	for i := 1; i <= changes; i++ {
		w.set("abc", version(i))
		replicas[i%len(replicas)].Invalidate(context.Background(), "abc")
		time.Sleep(time.Millisecond) // let fills begin between changes
	}
	close(done)
	readers.Wait()
	for i, c := range replicas {
		eventuallyTarget(t, c, w.source(), "abc", version(changes), fmt.Sprint("replica ", i))
	}
	wantTarget(t, w.replica(t), w.source(), "abc", version(changes), "a fresh replica (shared tier)")
}

func lcLostSubscription(t *testing.T, w *cacheWorld) {
	flaky := NewFlakyBus(w.bus)
	a := w.replicaOn(t, flaky)
	<-flaky.Subscribed()
	b, src := w.replica(t), w.source()
	w.set("abc", "https://example.com/old")
	wantTarget(t, a, src, "abc", "https://example.com/old", "before the loss")
	wantLoads(t, src, 1, "before the loss")

	flaky.CutAll()
	<-flaky.Subscribed() // a is subscribing again, held back
	w.set("abc", "https://example.com/new")
	b.Invalidate(context.Background(), "abc") // a cannot hear this
	for range 3 {
		wantTarget(t, a, src, "abc", "https://example.com/new", "unsubscribed")
	}
	wantLoads(t, src, 4, "three Gets unsubscribed")

	flaky.Release()
	deadline := time.Now().Add(deliveryWait)
	for {
		before := src.loads.Load()
		target(t, a, src, "abc")
		target(t, a, src, "abc")
		if src.loads.Load()-before == 1 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the replica never kept a copy again after subscribing")
		}
		time.Sleep(time.Millisecond)
	}
}

// deafBus is a broadcaster whose subscriptions hear nothing, as a replica
// does whose every broadcast is lost in transit.
type deafBus struct{ ports.Broadcaster }

func (deafBus) Subscribe(ctx context.Context, _ string) (<-chan []byte, error) {
	ch := make(chan []byte)
	go func() { <-ctx.Done(); close(ch) }()
	return ch, nil
}

// heldBus is a broadcaster whose subscriptions hear nothing until open is
// closed, and then every message, held ones first.
type heldBus struct {
	ports.Broadcaster
	open chan struct{}
}

func (h *heldBus) Subscribe(ctx context.Context, channel string) (<-chan []byte, error) {
	in, err := h.Broadcaster.Subscribe(ctx, channel)
	if err != nil {
		return nil, err
	}
	out := make(chan []byte)
	go func() {
		defer close(out)
		select {
		case <-h.open:
		case <-ctx.Done():
			return
		}
		for m := range in {
			select {
			case out <- m:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}
