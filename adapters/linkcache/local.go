package linkcache

import (
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"

	"gatehouse/core/links"
)

// shardCount spreads the in-process cache over independent locks.
const shardCount = 16

// local is the in-process tier: a fixed number of links by alias,
// evicted in CLOCK order (second chance), which approximates LRU while
// letting a hit take only a read lock and set one flag. Each entry
// expires at the time put was given.
type local struct {
	seed   maphash.Seed
	shards [shardCount]shard
}

type shard struct {
	mu    sync.RWMutex
	index map[string]int // alias -> slot
	slots []slot         // fixed length: the shard's capacity
	used  int            // slots[:used] have been filled at least once
	free  []int          // emptied slots below used, to fill first
	hand  int            // the CLOCK hand
}

type slot struct {
	alias   string
	link    links.Link
	expires time.Time
	hit     atomic.Bool // referenced since the hand last passed
}

func newLocal(size int) *local {
	per := max(1, size/shardCount)
	c := &local{seed: maphash.MakeSeed()}
	for i := range c.shards {
		c.shards[i].index = make(map[string]int, per)
		c.shards[i].slots = make([]slot, per)
	}
	return c
}

func (c *local) shard(alias string) *shard {
	return &c.shards[maphash.String(c.seed, alias)%shardCount]
}

// get returns the link cached under alias unless absent or expired at now.
func (c *local) get(alias string, now time.Time) (links.Link, bool) {
	sh := c.shard(alias)
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	i, ok := sh.index[alias]
	if !ok {
		return links.Link{}, false
	}
	s := &sh.slots[i]
	if !now.Before(s.expires) {
		return links.Link{}, false
	}
	if !s.hit.Load() { // a load first keeps hot entries' cache line shared
		s.hit.Store(true)
	}
	return s.link, true
}

// put caches l under alias until expires.
func (c *local) put(alias string, l links.Link, expires time.Time) {
	sh := c.shard(alias)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	i, ok := sh.index[alias]
	if !ok {
		i = sh.claim()
		sh.index[alias] = i
	}
	s := &sh.slots[i]
	s.alias, s.link, s.expires = alias, l, expires
	s.hit.Store(false)
}

// remove drops alias. Every invalidation calls it.
func (c *local) remove(alias string) {
	sh := c.shard(alias)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if i, ok := sh.index[alias]; ok {
		delete(sh.index, alias)
		sh.slots[i] = slot{}
		sh.free = append(sh.free, i)
	}
}

// clear drops everything, for when invalidations may have been missed.
func (c *local) clear() {
	for i := range c.shards {
		sh := &c.shards[i]
		sh.mu.Lock()
		clear(sh.index)
		for j := range sh.slots {
			sh.slots[j] = slot{}
		}
		sh.used, sh.free, sh.hand = 0, sh.free[:0], 0
		sh.mu.Unlock()
	}
}

// claim returns a slot for a new entry: a free one, a never used one, or
// the first one the CLOCK hand finds unreferenced (clearing the flags it
// passes). The caller holds the write lock.
func (sh *shard) claim() int {
	if n := len(sh.free); n > 0 {
		i := sh.free[n-1]
		sh.free = sh.free[:n-1]
		return i
	}
	if sh.used < len(sh.slots) {
		sh.used++
		return sh.used - 1
	}
	for {
		i := sh.hand
		sh.hand = (sh.hand + 1) % len(sh.slots)
		if sh.slots[i].hit.Swap(false) {
			continue
		}
		delete(sh.index, sh.slots[i].alias)
		return i
	}
}
