// Package linkcache keeps copies of links for the redirect path
// (ports.LinkCache) in two tiers: an in-process CLOCK cache, and a
// ports.Cache every replica shares. Invalidations reach every replica
// over a ports.Broadcaster.
//
// A copy read before an invalidation must not survive it. Every Get that
// misses notes the epoch, which each invalidation and each change of the
// subscription bumps, and keeps what it read only if the epoch has not
// moved: the check and the writes (local and shared) happen under a read
// lock that the bump takes exclusively. A copy written to the shared tier
// before a replica heard the invalidation is deleted by that replica when
// it hears it, since every replica drops the shared copy of each alias it
// hears about. Until then another replica that already heard it could
// take that copy from the shared tier; so for LocalTTL after hearing of an
// alias, a replica fills its misses of that alias from the source alone.
package linkcache

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"gatehouse/core/links"
	"gatehouse/ports"
)

var _ ports.LinkCache = (*Cache)(nil)

// Defaults for Options.
const (
	// DefaultSize is how many links each replica keeps in process.
	DefaultSize = 10_000
	// DefaultLocalTTL bounds how long a replica serves its copy of a link
	// when an invalidation broadcast was lost (delivery is at most once).
	DefaultLocalTTL = time.Minute
	// DefaultSharedTTL is how long the shared tier keeps a link's copy.
	DefaultSharedTTL = time.Hour
)

const (
	// channel carries the aliases whose copies are stale.
	channel = "links:invalidate"
	// sharedWriteTimeout bounds a write to the shared tier, made under the
	// fill lock and so never on the request's ctx.
	sharedWriteTimeout = time.Second
	// resubscribeEvery is the pause between attempts to subscribe again.
	resubscribeEvery = time.Second
)

// Options tune a Cache; zero values take the defaults.
type Options struct {
	Size      int           // links kept in process; DefaultSize when 0
	LocalTTL  time.Duration // DefaultLocalTTL when 0
	SharedTTL time.Duration // DefaultSharedTTL when 0
	Log       *slog.Logger  // nil: discard
}

// Cache implements ports.LinkCache. It keeps copies only between Start
// and Stop, while subscribed. Safe for concurrent use.
type Cache struct {
	shared    ports.Cache
	bus       ports.Broadcaster
	clock     ports.Clock
	size      int
	localTTL  time.Duration
	sharedTTL time.Duration
	log       *slog.Logger
	local     *local

	// fillMu orders fills against invalidations: fills hold it shared,
	// bumps of epoch and changes of the fields below hold it exclusively.
	fillMu     sync.RWMutex
	epoch      uint64
	subscribed bool
	recent     map[string]time.Time // alias -> until when its misses skip the shared tier
	recentAll  time.Time            // until when every miss skips it (recent overflowed)

	sub *ports.Subscription
}

// New returns a Cache over the shared tier shared and the broadcaster bus,
// reading the time from clock. A nil shared keeps no second tier: right
// when the cache every replica would share is this process's own memory,
// where a second copy of each link would only cost memory and encoding.
func New(shared ports.Cache, bus ports.Broadcaster, clock ports.Clock, o Options) (*Cache, error) {
	switch {
	case bus == nil:
		return nil, errors.New("linkcache: broadcaster is required")
	case clock == nil:
		return nil, errors.New("linkcache: clock is required")
	case o.Size < 0 || o.LocalTTL < 0 || o.SharedTTL < 0:
		return nil, fmt.Errorf("linkcache: size %d and ttls %s, %s must not be negative", o.Size, o.LocalTTL, o.SharedTTL)
	}
	if o.Size == 0 {
		o.Size = DefaultSize
	}
	if o.LocalTTL == 0 {
		o.LocalTTL = DefaultLocalTTL
	}
	if o.SharedTTL == 0 {
		o.SharedTTL = DefaultSharedTTL
	}
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Cache{
		shared: shared, bus: bus, clock: clock, size: o.Size, localTTL: o.LocalTTL, sharedTTL: o.SharedTTL,
		log: log, local: newLocal(o.Size), recent: map[string]time.Time{},
	}
	c.sub = c.subscription()
	return c, nil
}

// Get implements ports.LinkCache.
func (c *Cache) Get(ctx context.Context, alias string, src ports.LinkSource) (links.Link, error) {
	now := c.clock.Now()
	if l, ok := c.local.get(alias, now); ok {
		return l, nil
	}
	if err := src.Admit(alias); err != nil {
		return links.Link{}, err
	}
	epoch, caching, shared := c.begin(alias, now)
	if !caching {
		return src.Load(ctx, alias)
	}
	if shared && c.shared != nil {
		if l, ok := c.sharedCopy(ctx, alias); ok {
			c.keep(epoch, l, nil, now)
			return l, nil
		}
	}
	l, err := src.Load(ctx, alias)
	if err != nil {
		return links.Link{}, err
	}
	b, err := encodeLink(l)
	if err != nil { // a time outside JSON's years: keep the copy here only
		c.log.Warn("links: encode for the shared cache", "alias", alias, "err", err)
	}
	c.keep(epoch, l, b, now)
	return l, nil
}

// begin starts a fill of alias at now: the epoch to hand to keep, whether
// copies are kept at all, and whether the shared tier may serve it.
func (c *Cache) begin(alias string, now time.Time) (epoch uint64, caching, shared bool) {
	c.fillMu.RLock()
	defer c.fillMu.RUnlock()
	shared = !now.Before(c.recentAll) && !now.Before(c.recent[alias])
	return c.epoch, c.subscribed, shared
}

// sharedCopy returns the shared tier's copy of alias, if it holds one.
func (c *Cache) sharedCopy(ctx context.Context, alias string) (links.Link, bool) {
	b, ok, err := c.shared.Get(ctx, sharedKey(alias))
	if err != nil {
		c.log.Warn("links: shared cache get", "alias", alias, "err", err)
		return links.Link{}, false
	}
	if !ok {
		return links.Link{}, false
	}
	l, err := decodeLink(b)
	return l, err == nil && l.Alias == alias
}

// keep caches l, read at now, locally and, when shared is not nil, in the
// shared tier, unless the epoch moved since the fill began.
func (c *Cache) keep(epoch uint64, l links.Link, shared []byte, now time.Time) {
	c.fillMu.RLock()
	defer c.fillMu.RUnlock()
	if c.epoch != epoch || !c.subscribed {
		return
	}
	if shared != nil && c.shared != nil {
		// Not the request's ctx: a copy half-written for a canceled
		// request is harmless, but the call must not hold fillMu long.
		ctx, cancel := context.WithTimeout(context.Background(), sharedWriteTimeout)
		defer cancel()
		if err := c.shared.Set(ctx, sharedKey(l.Alias), shared, c.sharedTTL); err != nil {
			c.log.Warn("links: shared cache set", "alias", l.Alias, "err", err)
		}
	}
	c.local.put(l, now.Add(c.localTTL))
}

// Invalidate implements ports.LinkCache.
func (c *Cache) Invalidate(ctx context.Context, aliases ...string) {
	for _, a := range aliases {
		c.drop(ctx, a)
		if err := c.bus.Publish(ctx, channel, []byte(a)); err != nil {
			c.log.Warn("links: publish invalidation", "alias", a, "err", err)
		}
	}
}

// drop forgets this replica's copy of alias and the shared tier's. Every
// replica does this on each invalidation it hears: a replica that read the
// old link just before the change may have written it to the shared tier
// after the changer deleted it, and its own drop then deletes it again.
func (c *Cache) drop(ctx context.Context, alias string) {
	now := c.clock.Now()
	c.fillMu.Lock()
	c.epoch++
	c.local.remove(alias)
	c.skipShared(alias, now)
	c.fillMu.Unlock()
	if c.shared == nil {
		return
	}
	if err := c.shared.Delete(ctx, sharedKey(alias)); err != nil {
		c.log.Warn("links: drop shared copy", "alias", alias, "err", err)
	}
}

// setSubscribed records whether invalidations are heard. Either way every
// local copy goes and fills in flight keep nothing: copies taken across a
// gap in the subscription may have missed an invalidation.
func (c *Cache) setSubscribed(on bool) {
	c.fillMu.Lock()
	defer c.fillMu.Unlock()
	c.subscribed = on
	c.epoch++
	c.local.clear()
}

// resubscribed records a subscription back after a gap. Invalidations
// missed in the gap left no trace here, so for LocalTTL every miss skips
// the shared tier, which a replica that read before such an invalidation
// may have written to since.
func (c *Cache) resubscribed() {
	now := c.clock.Now()
	c.fillMu.Lock()
	defer c.fillMu.Unlock()
	c.recentAll = now.Add(c.localTTL)
	c.subscribed = true
	c.epoch++
	c.local.clear()
}

// skipShared makes misses of alias skip the shared tier for LocalTTL from
// now, bounding the entries kept for it by the cache's size: when full and
// none has lapsed, every miss skips it instead, which is as safe and costs
// only loads. The caller holds fillMu exclusively.
func (c *Cache) skipShared(alias string, now time.Time) {
	until := now.Add(c.localTTL)
	if now.Before(c.recentAll) { // already skipping for every alias
		c.recentAll = until
		return
	}
	if _, ok := c.recent[alias]; !ok && len(c.recent) >= c.size {
		for a, u := range c.recent {
			if !now.Before(u) {
				delete(c.recent, a)
			}
		}
		if len(c.recent) >= c.size {
			c.recentAll = until
			return
		}
	}
	c.recent[alias] = until
}

func sharedKey(alias string) string { return "links:alias:" + alias }
