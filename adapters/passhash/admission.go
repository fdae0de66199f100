package passhash

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"gatehouse/core/fault"
)

// ReasonBusy is the reason of the fault.Unavailable a Hasher returns when it
// turns a caller away: its queue is full, the caller waited
// Options.QueueWait, or the caller's context ended while it waited.
const ReasonBusy = "passhash.busy"

// Why a caller was turned away; the cause of the busy fault.
var (
	errNoPlace   = errors.New("every place taken")
	errQueueFull = errors.New("wait queue full")
	errTooSlow   = errors.New("expected wait past the bound")
	errWaitedOut = errors.New("waited too long for a slot")
)

// gate is the admission control in front of the computations: at most
// cap(slots) run at once, at most cap(queue) more callers wait for a slot,
// each for at most wait, and everyone beyond is turned away at once.
// Argon2id memory is allocated per running computation, and a waiting
// caller holds only a goroutine and its arguments, so the gate bounds the
// memory a flood can make the hasher use; the wait bound keeps an admitted
// request well inside the server's write timeout.
//
// A caller whose wait, judged from the recent computations' duration, would
// pass the bound is turned away at once too: when a flood also slows the
// computations down, the queue is effectively shorter, and no caller waits
// the whole bound only to be refused.
//
// places (as many as slots and queue together) are taken by admit before a
// caller's own work towards a check, so that a flood is turned away before
// it reaches storage; a caller holding one still passes the gate.
type gate struct {
	places chan struct{} // a token per check admitted ahead of its work
	slots  chan struct{} // a token per running computation
	queue  chan struct{} // a token per caller waiting for a slot
	wait   time.Duration
	// took is a moving average of how long a computation holds its slot,
	// in nanoseconds; updates may race and lose one, which only blurs it.
	took atomic.Int64
	// timer starts the wait bound; tests replace it to end waits at will.
	timer func(time.Duration) (expired <-chan time.Time, stop func() bool)
}

func newGate(slots, queue int, wait time.Duration) *gate {
	return &gate{
		places: make(chan struct{}, slots+queue),
		slots:  make(chan struct{}, slots),
		queue:  make(chan struct{}, queue),
		wait:   wait,
		timer: func(d time.Duration) (<-chan time.Time, func() bool) {
			t := time.NewTimer(d)
			return t.C, t.Stop
		},
	}
}

// admit takes a place without waiting: the busy fault when every place is
// taken or ctx has ended. The returned func gives the place back.
func (g *gate) admit(ctx context.Context) (func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, g.busy(err)
	}
	select {
	case g.places <- struct{}{}:
		return func() { <-g.places }, nil
	default:
		return nil, g.busy(errNoPlace)
	}
}

// acquire takes a computation slot: at once when one is free, else after
// waiting in the queue. A full queue, an expected wait past the bound, a
// wait that reaches the bound and an ended context each give the busy
// fault at once. The returned func gives the slot back.
func (g *gate) acquire(ctx context.Context) (func(), error) {
	// A done context must not win a slot just because one happens to be free.
	if err := ctx.Err(); err != nil {
		return nil, g.busy(err)
	}
	select {
	case g.slots <- struct{}{}:
		return g.start(), nil
	default:
	}
	if g.expectedWait(len(g.queue)+1) > g.wait {
		return nil, g.busy(errTooSlow)
	}
	select {
	case g.queue <- struct{}{}:
	default:
		return nil, g.busy(errQueueFull)
	}
	defer func() { <-g.queue }()
	expired, stop := g.timer(g.wait)
	defer stop()
	// Senders blocked on a channel are served in arrival order, so the
	// queue is first come, first served.
	select {
	case g.slots <- struct{}{}:
		return g.start(), nil
	case <-ctx.Done():
		return nil, g.busy(ctx.Err())
	case <-expired:
		return nil, g.busy(errWaitedOut)
	}
}

// start times a computation that has just taken its slot; the returned
// func gives the slot back and folds the duration into the average.
func (g *gate) start() func() {
	begin := time.Now()
	return func() {
		d := int64(time.Since(begin))
		if avg := g.took.Load(); avg != 0 {
			d = avg + (d-avg)/8
		}
		g.took.Store(d)
		<-g.slots
	}
}

// expectedWait is how long the caller at position pos of the queue would
// wait if computations keep taking their recent time.
func (g *gate) expectedWait(pos int) time.Duration {
	return time.Duration(int64(pos) * g.took.Load() / int64(cap(g.slots)))
}

// busy is the fault of a turned-away caller. Its RetryAfter is the wait
// bound (at least a second): by then every caller waiting now has had its
// slot or left, so a retry meets a queue that has turned over.
func (g *gate) busy(cause error) error {
	e := fault.Wrap(fmt.Errorf("passhash: admit: %w", cause),
		fault.Unavailable, ReasonBusy, "The server is busy, please try again shortly.")
	e.RetryAfter = max(g.wait, time.Second)
	return e
}
