package linkcount

import (
	"hash/maphash"
	"maps"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/cpu"
)

// shardCount spreads the counts over independent locks.
const shardCount = 16

// counts are the redirect counts not yet flushed to the store. Each shard
// is a plain map under a mutex: a redirect costs one lock and one map
// update in place, with no counter of its own to reach through a pointer
// (on 100,000 links each such hop is a cache miss), and a drain swaps a
// shard's map for an empty one instead of walking it. close is read under
// the shard's lock, so a count either precedes the final drain or sees
// close.
type counts struct {
	seed   maphash.Seed
	closed atomic.Bool
	shards [shardCount]shard
}

type shard struct {
	mu sync.Mutex
	m  map[string]int64
	// Shards sharing a cache line would make the cores' locks contend
	// where their links do not.
	_ cpu.CacheLinePad
}

func newCounts() *counts {
	c := &counts{seed: maphash.MakeSeed()}
	for i := range c.shards {
		c.shards[i].m = map[string]int64{}
	}
	return c
}

func (c *counts) shard(id string) *shard {
	return &c.shards[maphash.String(c.seed, id)%shardCount]
}

// add counts one redirect of id and reports true, or reports false once
// close was called: the caller must then count it elsewhere.
func (c *counts) add(id string) bool { return c.addN(id, 1, false) }

// give adds n back to id after a failed flush, even after close.
func (c *counts) give(id string, n int64) { c.addN(id, n, true) }

func (c *counts) addN(id string, n int64, force bool) bool {
	sh := c.shard(id)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if !force && c.closed.Load() {
		return false
	}
	sh.m[id] += n
	return true
}

// get returns id's unflushed count.
func (c *counts) get(id string) int64 {
	sh := c.shard(id)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.m[id]
}

// drain takes every unflushed count. Each shard starts a new map sized
// like the one it gives up, so the links of the next interval fill it
// without growing it.
func (c *counts) drain() map[string]int64 {
	var taken [shardCount]map[string]int64
	total := 0
	for i := range c.shards {
		sh := &c.shards[i]
		sh.mu.Lock()
		taken[i] = sh.m
		sh.m = make(map[string]int64, len(taken[i]))
		sh.mu.Unlock()
		total += len(taken[i])
	}
	out := make(map[string]int64, total)
	for _, m := range taken {
		maps.Copy(out, m) // a link's counts are in one shard
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
