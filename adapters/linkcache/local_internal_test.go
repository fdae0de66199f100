package linkcache

import (
	"fmt"
	"testing"
	"time"

	"gatehouse/core/links"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func TestLocalGetPutRemove(t *testing.T) {
	c := newLocal(64)
	c.put(links.Link{Alias: "a", ID: "1"}, t0.Add(time.Minute))
	if l, ok := c.get("a", t0); !ok || l.ID != "1" {
		t.Fatalf("get a: %+v %v", l, ok)
	}
	if _, ok := c.get("a", t0.Add(time.Minute)); ok {
		t.Fatal("get at expiry: hit, want miss")
	}
	c.put(links.Link{Alias: "a", ID: "2"}, t0.Add(time.Hour))
	if l, ok := c.get("a", t0.Add(time.Minute)); !ok || l.ID != "2" {
		t.Fatalf("get after replace: %+v %v", l, ok)
	}
	c.remove("a")
	c.remove("never")
	if _, ok := c.get("a", t0); ok {
		t.Fatal("get after remove: hit")
	}
	c.put(links.Link{Alias: "b", ID: "3"}, t0.Add(time.Hour))
	c.clear()
	if _, ok := c.get("b", t0); ok {
		t.Fatal("get after clear: hit")
	}
}

// TestLocalEvictsColdEntries fills the cache past its size through one
// shard while one entry stays hot: the bound holds and the hot entry
// survives.
func TestLocalEvictsColdEntries(t *testing.T) {
	c := newLocal(4)
	sh := func(a string) *shard { return c.shard(a) }
	var same []string // aliases of one shard
	for i := 0; len(same) < 20; i++ {
		a := fmt.Sprint("k", i)
		if len(same) == 0 || sh(a) == sh(same[0]) {
			same = append(same, a)
		}
	}
	exp := t0.Add(time.Hour)
	hot := same[0]
	c.put(links.Link{Alias: hot, ID: hot}, exp)
	for _, a := range same[1:] {
		if _, ok := c.get(hot, t0); !ok {
			t.Fatalf("hot entry evicted before %s was added", a)
		}
		c.put(links.Link{Alias: a, ID: a}, exp)
	}
	s := sh(hot)
	if len(s.index) != 4 {
		t.Fatalf("shard holds %d entries, want the cache's size 4", len(s.index))
	}
	if n := c.count.Load(); n != 4 {
		t.Fatalf("count %d, want 4", n)
	}
	if _, ok := c.get(hot, t0); !ok {
		t.Fatal("hot entry evicted")
	}
	if l, ok := c.get(same[len(same)-1], t0); !ok || l.ID != same[len(same)-1] {
		t.Fatal("newest entry missing")
	}
}

// TestLocalHoldsItsSize: a cache of n holds any n links whatever shards
// they hash to, keeps no more than n however many come, and frees its
// count on remove and clear.
func TestLocalHoldsItsSize(t *testing.T) {
	const n = 10_000
	c := newLocal(n)
	exp := t0.Add(time.Hour)
	for i := range n {
		c.put(links.Link{Alias: fmt.Sprint("a", i), ID: fmt.Sprint(i)}, exp)
	}
	for i := range n {
		if l, ok := c.get(fmt.Sprint("a", i), t0); !ok || l.ID != fmt.Sprint(i) {
			t.Fatalf("a%d of %d: %+v %v, want a hit", i, n, l, ok)
		}
	}
	for i := n; i < 3*n; i++ {
		c.put(links.Link{Alias: fmt.Sprint("a", i), ID: fmt.Sprint(i)}, exp)
	}
	if got := c.held(); got != n || c.count.Load() != n {
		t.Fatalf("after %d puts: %d entries, count %d, want %d", 3*n, got, c.count.Load(), n)
	}
	c.remove("a" + fmt.Sprint(3*n-1))
	if got := c.held(); got != n-1 || c.count.Load() != n-1 {
		t.Fatalf("after remove: %d entries, count %d", got, c.count.Load())
	}
	c.clear()
	if got := c.held(); got != 0 || c.count.Load() != 0 {
		t.Fatalf("after clear: %d entries, count %d", got, c.count.Load())
	}
	c.put(links.Link{Alias: "again", ID: "x"}, exp)
	if _, ok := c.get("again", t0); !ok {
		t.Fatal("put after clear: miss")
	}
}

// TestLocalSmallerThanItsShards: a cache of one keeps one link, and a full
// cache whose new link hashes to an empty shard keeps the old one.
func TestLocalSmallerThanItsShards(t *testing.T) {
	c := newLocal(1)
	exp := t0.Add(time.Hour)
	c.put(links.Link{Alias: "first", ID: "1"}, exp)
	var other string
	for i := 0; other == ""; i++ {
		if a := fmt.Sprint("o", i); c.shard(a) != c.shard("first") {
			other = a
		}
	}
	c.put(links.Link{Alias: other, ID: "2"}, exp)
	if _, ok := c.get("first", t0); !ok {
		t.Fatal("first evicted for a link of another shard")
	}
	if _, ok := c.get(other, t0); ok || c.held() != 1 {
		t.Fatalf("cache of one holds %d", c.held())
	}
}

// held counts the entries of every shard.
func (c *local) held() int {
	n := 0
	for i := range c.shards {
		n += len(c.shards[i].index)
	}
	return n
}

func TestRecordRoundTrip(t *testing.T) {
	l := links.Link{ID: "i", Alias: "a", Target: "https://example.com", OwnerID: "o", Redirects: 5,
		CreatedAt: t0, UpdatedAt: t0.Add(time.Second), ExpiresAt: t0.Add(time.Hour), MaxRedirects: 9}
	for _, want := range []links.Link{l, {ID: "i", Alias: "a", Target: "https://example.com", CreatedAt: t0, UpdatedAt: t0}} {
		b, err := encodeLink(want)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeLink(b)
		if err != nil || got != want {
			t.Fatalf("round trip of %+v: %+v, %v", want, got, err)
		}
	}
}
