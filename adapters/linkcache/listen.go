package linkcache

import (
	"context"
	"fmt"

	"gatehouse/ports"
)

// subscription follows invalidations. When it is lost, invalidations may
// have been missed: every copy goes, nothing is kept until it is
// subscribed again, and fills begun before keep nothing.
func (c *Cache) subscription() *ports.Subscription {
	return &ports.Subscription{
		Bus: c.bus, Channel: channel, Retry: resubscribeEvery, Log: c.log,
		Deliver: func(ctx context.Context, msg []byte) { c.drop(ctx, string(msg)) },
		Lost:    func() { c.setSubscribed(false) },
		Resumed: c.resubscribed,
	}
}

// Start implements ports.LinkCache: it subscribes to invalidations and
// keeps copies from then on.
func (c *Cache) Start(ctx context.Context) error {
	if err := c.sub.Start(ctx); err != nil {
		return fmt.Errorf("linkcache: %w", err)
	}
	c.setSubscribed(true)
	return nil
}

// Stop implements ports.LinkCache.
func (c *Cache) Stop(ctx context.Context) error {
	err := c.sub.Stop(ctx)
	c.setSubscribed(false)
	return err
}
