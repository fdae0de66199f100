package courier

import (
	"context"
	"log/slog"
	"time"

	"gatehouse/core/fault"
)

// work delivers queued messages and runs deferred tasks until the queue is
// closed and empty. Once Stop gave up draining, what is left is counted
// and dropped.
func (c *Courier) work() {
	for j := range c.queue {
		switch {
		case c.run.Err() != nil:
			c.drop()
		case j.task != nil:
			c.runTask(j)
		default:
			c.deliver(j)
		}
	}
}

// deliver hands j to next, retrying fault.Unavailable answers with a
// doubling delay up to Options.Attempts tries. Any other error is final:
// a bad recipient stays bad. A delivery is cancelled when Stop gives up.
func (c *Courier) deliver(j job) {
	ctx, cancel := context.WithCancel(j.ctx)
	defer cancel()
	defer context.AfterFunc(c.run, cancel)()
	delay := c.opts.Backoff
	for attempt := 1; ; attempt++ {
		err := c.next.Notify(ctx, j.n)
		switch {
		case err == nil:
			return
		case c.run.Err() != nil:
			c.drop()
			return
		case fault.CodeOf(err) != fault.Unavailable || attempt >= c.opts.Attempts:
			c.giveUp(j, attempt, err)
			return
		}
		if !c.wait(delay) {
			c.drop()
			return
		}
		delay = c.longer(delay)
	}
}

// longer doubles a retry delay up to maxBackoff, or Options.Backoff when
// that is longer.
func (c *Courier) longer(d time.Duration) time.Duration {
	ceiling := max(maxBackoff, c.opts.Backoff)
	if d >= ceiling/2 {
		return ceiling
	}
	return 2 * d
}

// wait sleeps d and reports whether the courier still runs.
func (c *Courier) wait(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-c.run.Done():
		return false
	}
}

// drop counts a message abandoned because Stop ran out of time.
func (c *Courier) drop() {
	c.dropMu.Lock()
	defer c.dropMu.Unlock()
	c.dropped++
}

// giveUp logs an undelivered message once. The warning names the failure
// class only: the code and link are secrets, and the recipient (which
// delivery errors may quote) is personal data, logged at debug level only.
func (c *Courier) giveUp(j job, attempts int, err error) {
	c.opts.Log.LogAttrs(j.ctx, slog.LevelWarn, "courier: notification not delivered",
		slog.String("channel", j.n.Channel),
		slog.String("purpose", string(j.n.Purpose)),
		slog.Int("attempts", attempts),
		slog.String("fault", string(fault.CodeOf(err))),
		slog.String("reason", fault.ReasonOf(err)),
	)
	c.opts.Log.LogAttrs(j.ctx, slog.LevelDebug, "courier: undelivered notification detail",
		slog.String("recipient", j.n.Recipient),
		slog.Any("error", err),
	)
}
