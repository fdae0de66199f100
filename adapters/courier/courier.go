// Package courier is an in-process delivery queue in front of another
// ports.Notifier (smtpmail, lognotify). Notify only enqueues, which costs
// every caller the same whatever it sends, so a use case that mails only
// known addresses (a password reset) answers in similar time either way;
// workers deliver in the background and retry what the channel could not
// take now.
//
// It also runs other work off the request path (ports.Background): a use
// case defers everything that depends on who asked, such as finding the
// account and storing its reset token, so even the store writes of the
// known case cost the request nothing.
//
// The queue lives in this process: what is queued when the process dies
// is lost. Stop drains it on an orderly shutdown.
package courier

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"gatehouse/core/fault"
	"gatehouse/ports"
)

// The fault reasons Notify returns besides those of ports.Notifier.
const (
	ReasonQueueFull = "notify.queue_full"
	ReasonStopped   = "notify.stopped"
)

// maxBackoff caps the doubling retry delay (unless Options.Backoff is
// longer itself), so a long outage does not push retries hours apart.
const maxBackoff = time.Minute

// Options tunes a Courier. A zero field takes the default named beside it.
type Options struct {
	Workers   int           // concurrent deliveries (2)
	QueueSize int           // messages waiting at most (1000)
	Attempts  int           // deliveries tried per message, the first included (5)
	Backoff   time.Duration // delay before the first retry, doubling up to a minute (1s)
	Log       *slog.Logger  // warnings about undelivered messages; nil discards
}

func (o Options) withDefaults() Options {
	if o.Workers <= 0 {
		o.Workers = 2
	}
	if o.QueueSize <= 0 {
		o.QueueSize = 1000
	}
	if o.Attempts <= 0 {
		o.Attempts = 5
	}
	if o.Backoff <= 0 {
		o.Backoff = time.Second
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return o
}

// job is one queued notification, or a deferred task when task is set,
// with the values (not the deadline) of the request that queued it, so log
// lines keep its request id.
type job struct {
	ctx  context.Context
	n    ports.Notification
	task func(context.Context)
}

// Courier is a ports.Notifier that queues notifications and delivers them
// through next with its workers. It is safe for concurrent use.
type Courier struct {
	next  ports.Notifier
	opts  Options
	queue chan job

	// mu orders Notify against Stop: Notify sends while holding it for
	// reading, Stop closes the queue while holding it for writing.
	mu      sync.RWMutex
	started bool
	stopped bool

	run     context.Context // ends when Stop gives up draining
	cancel  context.CancelFunc
	workers sync.WaitGroup
	dropped int // messages abandoned once run ended; written by workers under dropMu
	dropMu  sync.Mutex
}

var (
	_ ports.Notifier   = (*Courier)(nil)
	_ ports.Background = (*Courier)(nil)
)

// New returns a Courier in front of next; it delivers nothing before Start.
func New(next ports.Notifier, o Options) *Courier {
	o = o.withDefaults()
	run, cancel := context.WithCancel(context.Background())
	return &Courier{next: next, opts: o, queue: make(chan job, o.QueueSize), run: run, cancel: cancel}
}

// Notify queues n and returns without waiting for its delivery, so its
// cost is the same for every message. Messages queued before Start wait
// for it. fault.Unavailable notify.queue_full when Options.QueueSize
// messages are waiting already; fault.Unavailable notify.stopped once
// Stop was called (delivering then, synchronously, would hold up the
// shutdown and tell by its timing which requests send mail).
//
// Called from a task this courier runs (see Defer), Notify delivers n
// itself, retries included, before it returns: the task is off the request
// path already, and its mail then goes out even while Stop drains the queue.
func (c *Courier) Notify(ctx context.Context, n ports.Notification) error {
	if ctx.Value(runningTask{}) == c {
		c.deliver(job{ctx: ctx, n: n})
		return nil
	}
	return c.enqueue(job{ctx: context.WithoutCancel(ctx), n: n})
}

// enqueue adds j to the queue without waiting.
func (c *Courier) enqueue(j job) error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.stopped {
		return fault.New(fault.Unavailable, ReasonStopped, "Message delivery is shutting down; try again later.")
	}
	select {
	case c.queue <- j:
		return nil
	default:
		return fault.New(fault.Unavailable, ReasonQueueFull, "Too many messages are waiting to be sent; try again later.")
	}
}

// Start launches the workers; ctx only bounds starting, which does not
// wait, so the workers outlive it. An error when started or stopped already.
func (c *Courier) Start(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.stopped:
		return errors.New("courier: start: stopped already")
	case c.started:
		return errors.New("courier: start: started already")
	}
	c.launch()
	return nil
}

// launch starts the workers; c.mu is held.
func (c *Courier) launch() {
	c.started = true
	for range c.opts.Workers {
		c.workers.Go(c.work)
	}
}

// Stop refuses new messages and delivers the queued ones (retries
// included) until ctx ends; a Courier never started is drained all the
// same. When ctx ends first, deliveries under way are cancelled, the rest
// is dropped, and the error says how many messages were not delivered.
// Stop waits for the workers, so next must honour its ctx. An error when
// stopped already.
func (c *Courier) Stop(ctx context.Context) error {
	c.mu.Lock()
	if c.stopped {
		c.mu.Unlock()
		return errors.New("courier: stop: stopped already")
	}
	c.stopped = true
	close(c.queue)
	if !c.started {
		c.launch()
	}
	c.mu.Unlock()

	done := make(chan struct{})
	go func() {
		c.workers.Wait()
		close(done)
	}()
	select {
	case <-done:
		c.cancel()
		return nil
	case <-ctx.Done():
	}
	c.cancel()
	<-done
	c.dropMu.Lock()
	defer c.dropMu.Unlock()
	if c.dropped == 0 {
		return nil // the last deliveries finished as ctx ended
	}
	return fmt.Errorf("courier: stop: %d queued messages not delivered: %w", c.dropped, context.Cause(ctx))
}
