package rediscache

import (
	"os"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

// TestBroadcaster runs the contract on GATEHOUSE_TEST_REDIS_URL when set,
// else on one miniredis per subtest; each subtest has its own prefix.
func TestBroadcaster(t *testing.T) {
	url := os.Getenv(testRedisURL)
	porttest.RunBroadcaster(t, func(tb testing.TB) ports.Broadcaster {
		u := url
		if u == "" {
			u = "redis://" + miniredis.RunT(tb).Addr()
		}
		return NewBroadcaster(newTestCache(tb, u))
	})
}

// TestBroadcasterPrefixes checks that deployments sharing one Redis under
// different prefixes do not hear each other: a subscriber's first message
// is the one of its own prefix although the other was published first.
func TestBroadcasterPrefixes(t *testing.T) {
	u := os.Getenv(testRedisURL)
	if u == "" {
		u = "redis://" + miniredis.RunT(t).Addr()
	}
	a, b := NewBroadcaster(newTestCache(t, u)), NewBroadcaster(newTestCache(t, u))
	chA, err := a.Subscribe(t.Context(), "inv")
	if err != nil {
		t.Fatal(err)
	}
	chB, err := b.Subscribe(t.Context(), "inv")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Publish(t.Context(), "inv", []byte("for a")); err != nil {
		t.Fatal(err)
	}
	if err := b.Publish(t.Context(), "inv", []byte("for b")); err != nil {
		t.Fatal(err)
	}
	if got := next(t, chA); got != "for a" {
		t.Fatalf("prefix a got %q first, want %q", got, "for a")
	}
	if got := next(t, chB); got != "for b" {
		t.Fatalf("prefix b got %q first, want %q", got, "for b")
	}
}

// TestBroadcasterReplicas checks that two Caches on one Redis and prefix,
// as two replicas have, hear each other's messages.
func TestBroadcasterReplicas(t *testing.T) {
	u := os.Getenv(testRedisURL)
	if u == "" {
		u = "redis://" + miniredis.RunT(t).Addr()
	}
	one := newTestCache(t, u)
	two, err := New(t.Context(), Options{URL: u, Prefix: one.prefix})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = two.Close() })
	ch, err := NewBroadcaster(two).Subscribe(t.Context(), "inv")
	if err != nil {
		t.Fatal(err)
	}
	if err := NewBroadcaster(one).Publish(t.Context(), "inv", []byte("hello")); err != nil {
		t.Fatal(err)
	}
	if got := next(t, ch); got != "hello" {
		t.Fatalf("other replica got %q, want %q", got, "hello")
	}
}

// next waits for a message; the bound only guards against a hung test.
func next(tb testing.TB, ch <-chan []byte) string {
	tb.Helper()
	select {
	case m := <-ch:
		return string(m)
	case <-time.After(10 * time.Second):
		tb.Fatal("no message within 10s")
	}
	return ""
}
