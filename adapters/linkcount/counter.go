// Package linkcount counts link redirects in process and adds them to a
// ports.LinkStore in batches (ports.RedirectCounter): a redirect costs one
// atomic increment, and each Flush one AddRedirects batch of the links counted since
// the last. The counts live in this process only, so a lost or emptied
// shared cache takes none of them; a crash loses what was counted since
// the last Flush.
package linkcount

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"gatehouse/ports"
)

var _ ports.RedirectCounter = (*Counter)(nil)

// Options tune a Counter.
type Options struct {
	Log *slog.Logger // nil: discard
}

// Counter implements ports.RedirectCounter over a ports.LinkStore. It is
// safe for concurrent use.
type Counter struct {
	store  ports.LinkStore
	log    *slog.Logger
	counts *counts
}

// New returns a Counter that adds its counts to store.
func New(store ports.LinkStore, o Options) (*Counter, error) {
	if store == nil {
		return nil, errors.New("linkcount: store is required")
	}
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Counter{store: store, log: log, counts: newCounts()}, nil
}

// Add implements ports.RedirectCounter.
func (c *Counter) Add(ctx context.Context, id string) {
	if c.counts.add(id) {
		return
	}
	// Closed: no Flush will run again. The redirect is answered whatever
	// happens here, so the count outlives the request's ctx.
	if _, err := c.store.AddRedirects(context.WithoutCancel(ctx), map[string]int64{id: 1}); err != nil {
		c.log.Error("links: redirect after close not counted", "link", id, "err", err)
	}
}

// Unflushed implements ports.RedirectCounter.
func (c *Counter) Unflushed(id string) int64 { return c.counts.get(id) }

// Forget implements ports.RedirectCounter. Another replica may still
// flush counts of the link; they change nothing (AddRedirects ignores
// deleted links).
func (c *Counter) Forget(id string) { c.counts.forget(id) }

// Flush implements ports.RedirectCounter.
func (c *Counter) Flush(ctx context.Context) error {
	drained := c.counts.drain()
	if len(drained) == 0 {
		return nil
	}
	unapplied, err := c.store.AddRedirects(ctx, drained)
	for id, n := range unapplied {
		c.counts.give(id, n)
	}
	if err != nil {
		return fmt.Errorf("linkcount: flush redirects of %d links (%d kept for the next flush): %w", len(drained), len(unapplied), err)
	}
	return nil
}

// Close implements ports.RedirectCounter.
func (c *Counter) Close(ctx context.Context) error {
	c.counts.close()
	return c.Flush(ctx)
}
