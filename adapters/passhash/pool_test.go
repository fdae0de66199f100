package passhash

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"gatehouse/core/fault"
)

// gauge counts computations in flight and remembers the most seen at once.
type gauge struct {
	now, peak atomic.Int64
}

func (g *gauge) enter() {
	n := g.now.Add(1)
	for {
		p := g.peak.Load()
		if n <= p || g.peak.CompareAndSwap(p, n) {
			return
		}
	}
}

func (g *gauge) leave() { g.now.Add(-1) }

func newPoolHasher(tb testing.TB, concurrency int) *Hasher {
	tb.Helper()
	h, err := New(Options{Memory: 64, Time: 1, Concurrency: concurrency})
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

// TestPoolBound runs many verifies through a pool of 3 and checks that no
// more than 3 computations ever overlap, and that 3 do (the pool is a bound,
// not a mutex).
func TestPoolBound(t *testing.T) {
	const limit, callers = 3, 24
	h := newPoolHasher(t, limit)
	hash, err := h.Hash(context.Background(), "pw")
	if err != nil {
		t.Fatal(err)
	}
	var g gauge
	entered := make(chan struct{}, callers)
	gate := make(chan struct{})
	compute := h.argon
	h.argon = func(pw, salt []byte, time, mem uint32, threads uint8, keyLen uint32) []byte {
		g.enter()
		defer g.leave()
		entered <- struct{}{}
		<-gate
		return compute(pw, salt, time, mem, threads, keyLen)
	}

	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for range callers {
		wg.Go(func() {
			ok, _, err := h.Verify(context.Background(), hash, "pw")
			if err == nil && !ok {
				err = errors.New("no match")
			}
			errs <- err
		})
	}
	for range limit {
		<-entered
	}
	// All slots are held. A caller now must wait, and give up with
	// passhash.busy when its context ends, without ever computing.
	ctx, cancel := context.WithCancel(context.Background())
	go cancel()
	if _, _, err := h.Verify(ctx, hash, "pw"); fault.ReasonOf(err) != "passhash.busy" || !errors.Is(err, context.Canceled) {
		t.Fatalf("Verify with all slots held and ctx cancelled: %v; want passhash.busy", err)
	}
	if p := g.peak.Load(); p != limit {
		t.Fatalf("%d computations in flight with the gate closed, want %d", p, limit)
	}
	close(gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if p := g.peak.Load(); p != limit {
		t.Fatalf("peak in flight = %d, want %d", p, limit)
	}
	if n := len(h.gate.slots); n != 0 {
		t.Fatalf("%d slots still held after all callers returned", n)
	}
}

// TestPoolReleasesOnEveryPath checks that mismatches and bcrypt verifies
// give their slot back too: with one slot, a leak would block forever.
func TestPoolReleasesOnEveryPath(t *testing.T) {
	h := newPoolHasher(t, 1)
	ctx := context.Background()
	hash, err := h.Hash(ctx, "pw")
	if err != nil {
		t.Fatal(err)
	}
	const bcryptAllmine = "$2a$04$XajjQvNhvvRt5GSeFk1xFeyqRrsxkhBkUiQeg0dt.wU1qD4aFDcga"
	for _, c := range []struct{ hash, pw string }{{hash, "pw"}, {hash, "no"}, {bcryptAllmine, "x"}, {hash, "pw"}} {
		if _, _, err := h.Verify(ctx, c.hash, c.pw); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(h.gate.slots); n != 0 {
		t.Fatalf("%d slots still held", n)
	}
}

func TestDefaultConcurrency(t *testing.T) {
	tests := []struct {
		cpus   int
		memory uint32
		want   int
	}{
		{2, DefaultMemory, 2},
		{6, DefaultMemory, 6},
		{16, DefaultMemory, 6}, // 6 × 19 MiB fits 128 MiB, 7 does not
		{16, 64, 16},
		{16, 1 << 20, 1}, // one 1 GiB computation is over budget but must run
	}
	for _, tt := range tests {
		if got := defaultConcurrency(tt.cpus, tt.memory); got != tt.want {
			t.Errorf("defaultConcurrency(%d, %d) = %d, want %d", tt.cpus, tt.memory, got, tt.want)
		}
	}
}
