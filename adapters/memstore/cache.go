package memstore

import (
	"bytes"
	"context"
	"hash/maphash"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"

	"gatehouse/core/fault"
	"gatehouse/ports"
)

var _ ports.Cache = (*Cache)(nil)

const (
	// shardCount spreads keys over independent locks so concurrent requests
	// rarely wait on each other.
	shardCount = 32
	// sweepMinWrites is the fewest writes to a shard between two sweeps of
	// it; a sweep also waits for as many writes as the last one kept
	// entries, so sweeping costs O(1) per write, amortized, and a shard
	// holds at most about twice its live entries (or sweepMinWrites more).
	sweepMinWrites = 256
	// sweepEvery is how often the background sweeper frees expired entries
	// of shards that stopped receiving writes.
	sweepEvery = time.Minute
)

// Cache is an in-memory ports.Cache. Entries expire by TTL against its
// clock; expired entries are never returned and are swept, both as writes
// arrive and periodically, so memory stays bounded by the live entries.
// Close stops the periodic sweep.
type Cache struct {
	clock  ports.Clock
	seed   maphash.Seed
	shards [shardCount]shard
	stop   chan struct{}
	done   chan struct{}
	once   sync.Once
}

type shard struct {
	mu     sync.RWMutex
	items  map[string]entry
	writes int // since the last sweep
	kept   int // entries the last sweep left
}

type entry struct {
	value   []byte
	expires time.Time // zero: never
}

func (e entry) live(now time.Time) bool { return e.expires.IsZero() || now.Before(e.expires) }

// NewCache returns an empty Cache reading time from clock (nil: the wall
// clock) and starts its periodic sweep; call Close to stop it.
func NewCache(clock ports.Clock) *Cache {
	if clock == nil {
		clock = realClock{}
	}
	c := &Cache{clock: clock, seed: maphash.MakeSeed(), stop: make(chan struct{}), done: make(chan struct{})}
	for i := range c.shards {
		c.shards[i].items = map[string]entry{}
	}
	go c.sweepLoop()
	return c
}

// Get implements ports.Cache.
func (c *Cache) Get(_ context.Context, key string) ([]byte, bool, error) {
	sh := c.shard(key)
	sh.mu.RLock()
	e, ok := sh.items[key]
	sh.mu.RUnlock()
	// Only the clock is read after the lock: e.value is never mutated in place.
	if !ok || (!e.expires.IsZero() && !c.clock.Now().Before(e.expires)) {
		return nil, false, nil
	}
	return bytes.Clone(e.value), true, nil
}

// Set implements ports.Cache.
func (c *Cache) Set(_ context.Context, key string, value []byte, ttl time.Duration) error {
	now := c.clock.Now()
	sh := c.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.put(key, entry{value: slices.Clone(nonNil(value)), expires: expiry(now, ttl)}, now)
	return nil
}

// SetNX implements ports.Cache.
func (c *Cache) SetNX(_ context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	now := c.clock.Now()
	sh := c.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if e, ok := sh.items[key]; ok && e.live(now) {
		return false, nil
	}
	sh.put(key, entry{value: slices.Clone(nonNil(value)), expires: expiry(now, ttl)}, now)
	return true, nil
}

// Incr implements ports.Cache.
func (c *Cache) Incr(_ context.Context, key string, delta int64, ttl time.Duration) (int64, error) {
	now := c.clock.Now()
	sh := c.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	e, ok := sh.items[key]
	if !ok || !e.live(now) {
		e = entry{expires: expiry(now, ttl)}
	}
	var n int64
	if e.value != nil {
		var err error
		if n, err = parseInt(e.value); err != nil {
			return 0, err
		}
	}
	if (delta > 0 && n > math.MaxInt64-delta) || (delta < 0 && n < math.MinInt64-delta) {
		return 0, fault.New(fault.Invalid, "cache.overflow", "The counter would overflow.")
	}
	n += delta
	e.value = strconv.AppendInt(nil, n, 10)
	sh.put(key, e, now)
	return n, nil
}

// Delete implements ports.Cache.
func (c *Cache) Delete(_ context.Context, keys ...string) error {
	for _, k := range keys {
		sh := c.shard(k)
		sh.mu.Lock()
		delete(sh.items, k)
		sh.mu.Unlock()
	}
	return nil
}

// Flush drops every entry, as a cache restarted empty would; the fault
// tests use it to prove that nothing safety-critical lives only here.
func (c *Cache) Flush() {
	for i := range c.shards {
		sh := &c.shards[i]
		sh.mu.Lock()
		clear(sh.items)
		sh.writes, sh.kept = 0, 0
		sh.mu.Unlock()
	}
}

// Ping implements ports.Cache; memory always answers.
func (c *Cache) Ping(context.Context) error { return nil }

// Close stops the periodic sweep. It is safe to call more than once; the
// cache keeps working afterwards, sweeping on writes only.
func (c *Cache) Close() error {
	c.once.Do(func() { close(c.stop) })
	<-c.done
	return nil
}

func (c *Cache) shard(key string) *shard {
	return &c.shards[maphash.String(c.seed, key)%shardCount]
}

func (c *Cache) sweepLoop() {
	defer close(c.done)
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			for i := range c.shards {
				sh := &c.shards[i]
				sh.mu.Lock()
				sh.sweep(c.clock.Now())
				sh.mu.Unlock()
			}
		}
	}
}

// put stores e and sweeps the shard when enough writes have accumulated.
// The caller holds the write lock.
func (sh *shard) put(key string, e entry, now time.Time) {
	sh.items[key] = e
	sh.writes++
	if sh.writes >= max(sweepMinWrites, sh.kept) {
		sh.sweep(now)
	}
}

// sweep deletes expired entries. The caller holds the write lock.
func (sh *shard) sweep(now time.Time) {
	for k, e := range sh.items {
		if !e.live(now) {
			delete(sh.items, k)
		}
	}
	sh.writes, sh.kept = 0, len(sh.items)
}

func expiry(now time.Time, ttl time.Duration) time.Time {
	if ttl <= 0 {
		return time.Time{}
	}
	return now.Add(ttl)
}

// parseInt reads a counter the way Redis does: only the canonical decimal
// form ("42", "-7"; not "+7", "07" or " 7") is an integer.
func parseInt(v []byte) (int64, error) {
	n, err := strconv.ParseInt(string(v), 10, 64)
	var canon [20]byte
	if err != nil || !bytes.Equal(strconv.AppendInt(canon[:0], n, 10), v) {
		return 0, fault.New(fault.Invalid, "cache.not_integer", "The cached value is not an integer.")
	}
	return n, nil
}

// nonNil maps a nil value to an empty one, so a stored empty value is still
// present (nil marks "no value yet" inside Incr).
func nonNil(v []byte) []byte {
	if v == nil {
		return []byte{}
	}
	return v
}
