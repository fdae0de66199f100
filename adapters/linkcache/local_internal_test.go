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
	c.put("a", links.Link{ID: "1"}, t0.Add(time.Minute))
	if l, ok := c.get("a", t0); !ok || l.ID != "1" {
		t.Fatalf("get a: %+v %v", l, ok)
	}
	if _, ok := c.get("a", t0.Add(time.Minute)); ok {
		t.Fatal("get at expiry: hit, want miss")
	}
	c.put("a", links.Link{ID: "2"}, t0.Add(time.Hour))
	if l, ok := c.get("a", t0.Add(time.Minute)); !ok || l.ID != "2" {
		t.Fatalf("get after replace: %+v %v", l, ok)
	}
	c.remove("a")
	c.remove("never")
	if _, ok := c.get("a", t0); ok {
		t.Fatal("get after remove: hit")
	}
	c.put("b", links.Link{ID: "3"}, t0.Add(time.Hour))
	c.clear()
	if _, ok := c.get("b", t0); ok {
		t.Fatal("get after clear: hit")
	}
}

// TestLocalEvictsColdEntries fills one shard past its capacity while
// one entry stays hot: the bound holds and the hot entry survives.
func TestLocalEvictsColdEntries(t *testing.T) {
	c := newLocal(4 * shardCount) // 4 slots per shard
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
	c.put(hot, links.Link{ID: hot}, exp)
	for _, a := range same[1:] {
		if _, ok := c.get(hot, t0); !ok {
			t.Fatalf("hot entry evicted before %s was added", a)
		}
		c.put(a, links.Link{ID: a}, exp)
	}
	s := sh(hot)
	if len(s.index) != 4 {
		t.Fatalf("shard holds %d entries, want its capacity 4", len(s.index))
	}
	if _, ok := c.get(hot, t0); !ok {
		t.Fatal("hot entry evicted")
	}
	if l, ok := c.get(same[len(same)-1], t0); !ok || l.ID != same[len(same)-1] {
		t.Fatal("newest entry missing")
	}
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
