package linkcache

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// lifecycle is the Cache's subscription.
type lifecycle struct {
	mu      sync.Mutex
	started bool
	stopped bool
	cancel  context.CancelFunc
	done    sync.WaitGroup
}

// Start implements ports.LinkCache.
func (c *Cache) Start(ctx context.Context) error {
	c.life.mu.Lock()
	defer c.life.mu.Unlock()
	if c.life.started || c.life.stopped {
		return errors.New("linkcache: Start: already started or stopped")
	}
	// The subscription outlives Start's ctx (an fx start timeout).
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	msgs, err := c.bus.Subscribe(bg, channel)
	if err != nil {
		cancel()
		return fmt.Errorf("linkcache: subscribe to invalidations: %w", err)
	}
	c.setSubscribed(true)
	c.life.started, c.life.cancel = true, cancel
	c.life.done.Add(1)
	go func() { defer c.life.done.Done(); c.listen(bg, msgs) }()
	return nil
}

// Stop implements ports.LinkCache.
func (c *Cache) Stop(context.Context) error {
	c.life.mu.Lock()
	defer c.life.mu.Unlock()
	if c.life.stopped {
		return nil
	}
	c.life.stopped = true
	if c.life.cancel != nil {
		c.life.cancel()
		c.life.done.Wait()
	}
	c.setSubscribed(false)
	return nil
}

// listen applies invalidations until ctx ends. When the subscription ends
// early, invalidations may have been missed: every copy goes, nothing is
// kept until it is subscribed again, and fills begun before keep nothing.
func (c *Cache) listen(ctx context.Context, msgs <-chan []byte) {
	for {
		for msg := range msgs {
			c.drop(ctx, string(msg))
		}
		if ctx.Err() != nil {
			return
		}
		c.log.Warn("links: invalidation subscription ended; subscribing again")
		c.setSubscribed(false)
		if msgs = c.resubscribe(ctx); msgs == nil {
			return
		}
		c.resubscribed()
	}
}

// resubscribe retries Subscribe every resubscribeEvery until it works or
// ctx ends (then nil). The pause is a wait, not a reading of the time.
func (c *Cache) resubscribe(ctx context.Context) <-chan []byte {
	for {
		msgs, err := c.bus.Subscribe(ctx, channel)
		if err == nil {
			return msgs
		}
		c.log.Warn("links: subscribe to invalidations", "err", err)
		t := time.NewTimer(resubscribeEvery)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}
