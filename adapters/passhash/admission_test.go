package passhash

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gatehouse/core/fault"
)

// held is a Hasher whose computations block until release is closed, and
// that counts how many computations started.
type held struct {
	h       *Hasher
	hash    string
	started atomic.Int64
	release chan struct{}
	expire  chan time.Time // ends every wait when closed
}

func newHeld(tb testing.TB, slots, queue int) *held {
	tb.Helper()
	h, err := New(Options{Memory: 64, Time: 1, Concurrency: slots, Queue: queue})
	if err != nil {
		tb.Fatal(err)
	}
	hash, err := h.Hash(context.Background(), "pw")
	if err != nil {
		tb.Fatal(err)
	}
	x := &held{h: h, hash: hash, release: make(chan struct{}), expire: make(chan time.Time)}
	compute := h.argon
	h.argon = func(pw, salt []byte, time, mem uint32, threads uint8, keyLen uint32) []byte {
		x.started.Add(1)
		<-x.release
		return compute(pw, salt, time, mem, threads, keyLen)
	}
	h.gate.timer = func(time.Duration) (<-chan time.Time, func() bool) {
		return x.expire, func() bool { return true }
	}
	// Forget how long the first hash took, so that no expected wait
	// refuses anyone unless a test says how long computations take.
	h.gate.took.Store(0)
	return x
}

// verifyAsync starts a Verify and returns where its error arrives.
func (x *held) verifyAsync(ctx context.Context) <-chan error {
	done := make(chan error, 1)
	go func() {
		ok, _, err := x.h.Verify(ctx, x.hash, "pw")
		if err == nil && !ok {
			err = errors.New("no match")
		}
		done <- err
	}()
	return done
}

// until yields until cond holds; the test's own deadline bounds it.
func until(cond func() bool) {
	for !cond() {
		runtime.Gosched()
	}
}

// fill occupies every slot with a held computation and every place in the
// queue with a waiting caller, and returns their results.
func (x *held) fill(tb testing.TB, ctx context.Context) []<-chan error {
	tb.Helper()
	slots, queue := cap(x.h.gate.slots), cap(x.h.gate.queue)
	var results []<-chan error
	for range slots {
		results = append(results, x.verifyAsync(ctx))
	}
	until(func() bool { return x.started.Load() == int64(slots) })
	for range queue {
		results = append(results, x.verifyAsync(ctx))
	}
	until(func() bool { return len(x.h.gate.queue) == queue })
	return results
}

func checkBusy(tb testing.TB, err, cause error) {
	tb.Helper()
	fe, ok := fault.As(err)
	if !ok || fe.Code != fault.Unavailable || fe.Reason != ReasonBusy || !errors.Is(err, cause) {
		tb.Fatalf("err = %v; want unavailable %s caused by %v", err, ReasonBusy, cause)
	}
	if fe.RetryAfter < time.Second {
		tb.Fatalf("RetryAfter = %s; want at least 1s", fe.RetryAfter)
	}
}

// TestQueueFullIsBusyAtOnce: with every slot running and the queue full, a
// caller is turned away at once, without computing; everyone admitted is
// still served.
func TestQueueFullIsBusyAtOnce(t *testing.T) {
	x := newHeld(t, 2, 3)
	results := x.fill(t, context.Background())

	// The caller's context never ends and no wait expires: only admission
	// can answer this call.
	_, _, err := x.h.Verify(context.Background(), x.hash, "pw")
	checkBusy(t, err, errQueueFull)
	if _, err := x.h.Hash(context.Background(), "pw"); !errors.Is(err, errQueueFull) {
		t.Fatalf("Hash with the queue full: %v; want %v", err, errQueueFull)
	}
	if n := x.started.Load(); n != 2 {
		t.Fatalf("%d computations started; want 2 (the slots)", n)
	}

	close(x.release)
	for _, r := range results {
		if err := <-r; err != nil {
			t.Fatal(err)
		}
	}
	if n := x.started.Load(); n != 5 {
		t.Fatalf("%d computations ran; want 5 (2 slots + 3 queued)", n)
	}
	if len(x.h.gate.slots) != 0 || len(x.h.gate.queue) != 0 {
		t.Fatalf("left held: %d slots, %d in queue", len(x.h.gate.slots), len(x.h.gate.queue))
	}
}

// TestWaitEndsLeaveQueue: a queued caller whose context ends, or whose wait
// bound passes, leaves the queue at once with the busy fault, and its place
// is free for the next caller.
func TestWaitEndsLeaveQueue(t *testing.T) {
	tests := []struct {
		name  string
		end   func(x *held, cancel context.CancelFunc)
		cause error
	}{
		{"context cancelled", func(_ *held, cancel context.CancelFunc) { cancel() }, context.Canceled},
		{"wait bound passed", func(x *held, _ context.CancelFunc) { close(x.expire) }, errWaitedOut},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newHeld(t, 1, 2)
			running := x.verifyAsync(context.Background())
			until(func() bool { return x.started.Load() == 1 })
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			waiters := []<-chan error{x.verifyAsync(ctx), x.verifyAsync(ctx)}
			until(func() bool { return len(x.h.gate.queue) == 2 })

			tt.end(x, cancel)
			for _, w := range waiters {
				checkBusy(t, <-w, tt.cause)
			}
			if n := len(x.h.gate.queue); n != 0 {
				t.Fatalf("%d callers still queued", n)
			}
			if n := x.started.Load(); n != 1 {
				t.Fatalf("%d computations started; want only the running one", n)
			}

			// The places are free again: a new caller queues and is served.
			x.h.gate.timer = func(time.Duration) (<-chan time.Time, func() bool) {
				return nil, func() bool { return true } // never expires
			}
			next := x.verifyAsync(context.Background())
			until(func() bool { return len(x.h.gate.queue) == 1 })
			close(x.release)
			for _, r := range []<-chan error{running, next} {
				if err := <-r; err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// TestDoneContextIsNotAdmitted: an ended context is turned away even when
// a slot is free.
func TestDoneContextIsNotAdmitted(t *testing.T) {
	x := newHeld(t, 1, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := x.h.Verify(ctx, x.hash, "pw")
	checkBusy(t, err, context.Canceled)
	if n := x.started.Load(); n != 0 {
		t.Fatalf("%d computations started", n)
	}
}

// TestAdmissionBoundsUnderFlood sends many more callers than slots and
// queue hold while the computations are held: exactly the slots run, the
// queue fills, and every other caller is turned away with the busy fault.
func TestAdmissionBoundsUnderFlood(t *testing.T) {
	const slots, queue, callers = 3, 6, 40
	x := newHeld(t, slots, queue)
	results := x.fill(t, context.Background())
	var wg sync.WaitGroup
	var busy atomic.Int64
	for range callers - slots - queue {
		wg.Go(func() {
			_, _, err := x.h.Verify(context.Background(), x.hash, "pw")
			if fault.ReasonOf(err) == ReasonBusy && errors.Is(err, errQueueFull) {
				busy.Add(1)
			}
		})
	}
	wg.Wait()
	if n := busy.Load(); n != callers-slots-queue {
		t.Fatalf("%d turned away; want %d", n, callers-slots-queue)
	}
	if n := x.started.Load(); n != slots {
		t.Fatalf("%d computations running; want %d", n, slots)
	}
	close(x.release)
	for _, r := range results {
		if err := <-r; err != nil {
			t.Fatal(err)
		}
	}
}

// TestExpectedWaitRefusedAtOnce: when recent computations say a caller
// would wait past the bound, it is turned away at once rather than after
// waiting; callers whose turn is near still queue.
func TestExpectedWaitRefusedAtOnce(t *testing.T) {
	x := newHeld(t, 2, 10)
	ctx := context.Background()
	// Two slots, a second a computation, a 2s bound: the first four in the
	// queue expect at most 2s, the fifth 2.5s.
	x.h.gate.took.Store(int64(time.Second))
	results := []<-chan error{x.verifyAsync(ctx), x.verifyAsync(ctx)}
	until(func() bool { return x.started.Load() == 2 })
	for n := range 4 {
		results = append(results, x.verifyAsync(ctx))
		until(func() bool { return len(x.h.gate.queue) == n+1 })
	}
	_, _, err := x.h.Verify(ctx, x.hash, "pw")
	checkBusy(t, err, errTooSlow)

	close(x.release)
	for _, r := range results {
		if err := <-r; err != nil {
			t.Fatal(err)
		}
	}
}

// TestAdmitPlaces: Admit hands out as many places as slots and queue hold
// together, turns the next caller away at once, and a released place is
// free again; a place does not stop its holder from passing the gate.
func TestAdmitPlaces(t *testing.T) {
	x := newHeld(t, 2, 3)
	ctx := context.Background()
	var releases []func()
	for range 5 {
		release, err := x.h.Admit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		releases = append(releases, release)
	}
	_, err := x.h.Admit(ctx)
	checkBusy(t, err, errNoPlace)

	close(x.release)
	if ok, _, err := x.h.Verify(ctx, x.hash, "pw"); err != nil || !ok {
		t.Fatalf("Verify while holding every place: %v, %v", ok, err)
	}
	releases[0]()
	release, err := x.h.Admit(ctx)
	if err != nil {
		t.Fatalf("Admit after a release: %v", err)
	}
	release()

	done, cancel := context.WithCancel(ctx)
	cancel()
	for _, r := range releases[1:] {
		r()
	}
	_, err = x.h.Admit(done)
	checkBusy(t, err, context.Canceled)
	if n := len(x.h.gate.places); n != 0 {
		t.Fatalf("%d places still taken", n)
	}
}

func TestQueueDefaults(t *testing.T) {
	tests := []struct {
		name      string
		in        Options
		wantQueue int
		wantWait  time.Duration
	}{
		{"defaults", Options{Concurrency: 2}, 2 * DefaultQueuePerSlot, DefaultQueueWait},
		{"set", Options{Concurrency: 2, Queue: 5, QueueWait: time.Second}, 5, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.Memory, tt.in.Time = 64, 1
			h, err := New(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if cap(h.gate.queue) != tt.wantQueue || h.gate.wait != tt.wantWait {
				t.Fatalf("queue %d, wait %s; want %d, %s", cap(h.gate.queue), h.gate.wait, tt.wantQueue, tt.wantWait)
			}
		})
	}
	for _, o := range []Options{{Queue: -1}, {QueueWait: -time.Second}} {
		if _, err := New(o); err == nil {
			t.Errorf("New(%+v) accepted a negative queue option", o)
		}
	}
}
