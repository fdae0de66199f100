package linkcache

import (
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"

	"gatehouse/core/links"

	"golang.org/x/sys/cpu"
)

// shardCount spreads the in-process cache over independent locks.
const shardCount = 16

// local is the in-process tier: at most size links by alias, evicted in
// CLOCK order (second chance), which approximates LRU while letting a hit
// take only a read lock and set one flag. Each entry expires at the time
// put was given.
//
// The bound is one count across the shards, not a share per shard: hashes
// never spread evenly, and with a share per shard a cache sized for every
// link would keep missing the links of its fuller shards (a cycle over
// 100,000 links through 16 shares of 6,250 missed one request in six).
// A shard that must make room evicts one of its own entries.
type local struct {
	seed   maphash.Seed
	size   int64
	count  atomic.Int64 // entries held, over all shards
	shards [shardCount]shard
}

type shard struct {
	mu    sync.RWMutex
	index map[string]int // alias -> slot
	// slots grows as the shard takes entries. A link is kept in its slot,
	// not behind a pointer: on 100,000 links every hop to another place in
	// memory is a cache miss on the redirect path.
	slots []slot
	free  []int // emptied slots, to fill first
	hand  int   // the CLOCK hand
	// Shards sharing a cache line would make the cores' read locks
	// contend where their links do not.
	_ cpu.CacheLinePad
}

type slot struct {
	link    links.Link
	expires time.Time
	hit     atomic.Bool // referenced since the hand last passed
}

func newLocal(size int) *local {
	c := &local{seed: maphash.MakeSeed(), size: int64(max(1, size))}
	for i := range c.shards {
		c.shards[i].index = map[string]int{}
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

// put caches l under its alias until expires. When the cache is full and
// the alias's shard holds nothing to evict (only in a cache smaller than
// its shard count), l is not kept.
func (c *local) put(l links.Link, expires time.Time) {
	alias := l.Alias
	if alias == "" { // an empty alias marks a free slot
		return
	}
	sh := c.shard(alias)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	i, ok := sh.index[alias]
	if !ok {
		if i, ok = c.claim(sh); !ok {
			return
		}
		sh.index[alias] = i
	}
	s := &sh.slots[i]
	s.link, s.expires = l, expires
	s.hit.Store(false)
}

// remove drops alias. Every invalidation calls it.
func (c *local) remove(alias string) {
	sh := c.shard(alias)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if i, ok := sh.index[alias]; ok {
		sh.release(i)
		c.count.Add(-1)
	}
}

// clear drops everything, for when invalidations may have been missed.
func (c *local) clear() {
	for i := range c.shards {
		sh := &c.shards[i]
		sh.mu.Lock()
		c.count.Add(-int64(len(sh.index)))
		clear(sh.index)
		clear(sh.slots)
		sh.slots, sh.free, sh.hand = sh.slots[:0], sh.free[:0], 0
		sh.mu.Unlock()
	}
}

// claim returns a slot of sh for a new entry: while the cache holds fewer
// than size, a free or a new one; once full, the slot of the first entry
// the CLOCK hand finds unreferenced (clearing the flags it passes). The
// caller holds sh's write lock.
func (c *local) claim(sh *shard) (int, bool) {
	if c.count.Add(1) > c.size {
		c.count.Add(-1)
		return sh.evict()
	}
	if n := len(sh.free); n > 0 {
		i := sh.free[n-1]
		sh.free = sh.free[:n-1]
		return i, true
	}
	sh.slots = append(sh.slots, slot{})
	return len(sh.slots) - 1, true
}

// evict empties the slot of an unreferenced entry of sh and returns it,
// or reports false when sh holds no entry.
func (sh *shard) evict() (int, bool) {
	if len(sh.index) == 0 {
		return 0, false
	}
	for {
		i := sh.hand
		sh.hand = (sh.hand + 1) % len(sh.slots)
		s := &sh.slots[i]
		if s.link.Alias == "" || s.hit.Swap(false) { // a free slot, or a second chance
			continue
		}
		delete(sh.index, s.link.Alias)
		return i, true
	}
}

// release empties slot i, which holds an entry, for reuse.
func (sh *shard) release(i int) {
	delete(sh.index, sh.slots[i].link.Alias)
	sh.slots[i] = slot{}
	sh.free = append(sh.free, i)
}
