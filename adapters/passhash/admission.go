package passhash

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gatehouse/core/fault"
)

// ReasonBusy is the reason of the fault.Unavailable a Hasher returns when it
// turns a caller away: its queue is full, the caller waited
// Options.QueueWait, or the caller's context ended while it waited.
const ReasonBusy = "passhash.busy"

// Why a caller was turned away; the cause of the busy fault.
var (
	errQueueFull = errors.New("wait queue full")
	errWaitedOut = errors.New("waited too long for a slot")
)

// gate is the admission control in front of the computations: at most
// cap(slots) run at once, at most cap(queue) more callers wait for a slot,
// each for at most wait, and everyone beyond is turned away at once.
// Argon2id memory is allocated per running computation, and a waiting
// caller holds only a goroutine and its arguments, so the gate bounds the
// memory a flood can make the hasher use; the wait bound keeps an admitted
// request well inside the server's write timeout.
type gate struct {
	slots chan struct{} // a token per running computation
	queue chan struct{} // a token per caller waiting for a slot
	wait  time.Duration
	// timer starts the wait bound; tests replace it to end waits at will.
	timer func(time.Duration) (expired <-chan time.Time, stop func() bool)
}

func newGate(slots, queue int, wait time.Duration) *gate {
	return &gate{
		slots: make(chan struct{}, slots),
		queue: make(chan struct{}, queue),
		wait:  wait,
		timer: func(d time.Duration) (<-chan time.Time, func() bool) {
			t := time.NewTimer(d)
			return t.C, t.Stop
		},
	}
}

// acquire takes a computation slot: at once when one is free, else after
// waiting in the queue. A full queue, a wait past the bound and an ended
// context each give the busy fault at once. The returned func gives the
// slot back.
func (g *gate) acquire(ctx context.Context) (func(), error) {
	// A done context must not win a slot just because one happens to be free.
	if err := ctx.Err(); err != nil {
		return nil, g.busy(err)
	}
	select {
	case g.slots <- struct{}{}:
		return g.release, nil
	default:
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
		return g.release, nil
	case <-ctx.Done():
		return nil, g.busy(ctx.Err())
	case <-expired:
		return nil, g.busy(errWaitedOut)
	}
}

func (g *gate) release() { <-g.slots }

// busy is the fault of a turned-away caller. Its RetryAfter is the wait
// bound (at least a second): by then every caller waiting now has had its
// slot or left, so a retry meets a queue that has turned over.
func (g *gate) busy(cause error) error {
	e := fault.Wrap(fmt.Errorf("passhash: admit: %w", cause),
		fault.Unavailable, ReasonBusy, "The server is busy, please try again shortly.")
	e.RetryAfter = max(g.wait, time.Second)
	return e
}
