package linkcount

import (
	"hash/maphash"
	"sync"
	"sync/atomic"
)

// shardCount spreads the counts over independent locks.
const shardCount = 16

// counts are the redirect counts not yet flushed to the store, one atomic
// counter per link. Counting takes a read lock; drain takes each shard's
// write lock, so no count can land in a counter between its drain and its
// removal, and none after close.
type counts struct {
	seed   maphash.Seed
	closed atomic.Bool
	shards [shardCount]shard
}

type shard struct {
	mu sync.RWMutex
	m  map[string]*atomic.Int64
}

func newCounts() *counts {
	c := &counts{seed: maphash.MakeSeed()}
	for i := range c.shards {
		c.shards[i].m = map[string]*atomic.Int64{}
	}
	return c
}

func (c *counts) shard(id string) *shard {
	return &c.shards[maphash.String(c.seed, id)%shardCount]
}

// add counts one redirect of id and reports true, or reports false once
// close was called: the caller must then count it elsewhere. closed is
// read under the shard lock, so a count either precedes the final drain
// or sees closed.
func (c *counts) add(id string) bool {
	sh := c.shard(id)
	sh.mu.RLock()
	if c.closed.Load() {
		sh.mu.RUnlock()
		return false
	}
	if n := sh.m[id]; n != nil {
		n.Add(1)
		sh.mu.RUnlock()
		return true
	}
	sh.mu.RUnlock()
	return c.addSlow(id, 1, false)
}

// give adds n back to id after a failed flush, even after close.
func (c *counts) give(id string, n int64) { c.addSlow(id, n, true) }

func (c *counts) addSlow(id string, n int64, force bool) bool {
	sh := c.shard(id)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if !force && c.closed.Load() {
		return false
	}
	ctr := sh.m[id]
	if ctr == nil {
		ctr = new(atomic.Int64)
		sh.m[id] = ctr
	}
	ctr.Add(n)
	return true
}

// get returns id's unflushed count.
func (c *counts) get(id string) int64 {
	sh := c.shard(id)
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	if n := sh.m[id]; n != nil {
		return n.Load()
	}
	return 0
}

// drain takes every unflushed count, leaving zeros. Counters already at
// zero are removed, so idle links cost nothing after two drains.
func (c *counts) drain() map[string]int64 {
	out := map[string]int64{}
	for i := range c.shards {
		sh := &c.shards[i]
		sh.mu.Lock()
		for id, ctr := range sh.m {
			if n := ctr.Swap(0); n != 0 {
				out[id] = n
			} else {
				delete(sh.m, id)
			}
		}
		sh.mu.Unlock()
	}
	return out
}

// forget drops id's unflushed count.
func (c *counts) forget(id string) {
	sh := c.shard(id)
	sh.mu.Lock()
	delete(sh.m, id)
	sh.mu.Unlock()
}

// close makes add refuse from now on; a drain after it takes every count
// add ever accepted.
func (c *counts) close() { c.closed.Store(true) }
