package rediscache

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

// testRedisURL names a real Redis for the tests; empty: miniredis.
const testRedisURL = "GATEHOUSE_TEST_REDIS_URL"

// randomPrefix isolates one test's keys from every other test's.
func randomPrefix(tb testing.TB) string {
	tb.Helper()
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		tb.Fatalf("random prefix: %v", err)
	}
	return "gatehouse-test:" + hex.EncodeToString(b) + ":"
}

// newTestCache opens a Cache on url under a fresh prefix; cleanup deletes
// every key under that prefix and closes it.
func newTestCache(tb testing.TB, url string) *Cache {
	tb.Helper()
	c, err := New(tb.Context(), Options{URL: url, Prefix: randomPrefix(tb)})
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	tb.Cleanup(func() {
		// tb.Context is already canceled when cleanups run.
		ctx := contextWithoutCancel(tb)
		iter := c.client.Scan(ctx, 0, c.prefix+"*", 100).Iterator()
		var keys []string
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		if err := iter.Err(); err != nil {
			tb.Errorf("cleanup: scan: %v", err)
		}
		for _, k := range keys {
			if err := c.client.Del(ctx, k).Err(); err != nil {
				tb.Errorf("cleanup: del %s: %v", k, err)
			}
		}
		if err := c.Close(); err != nil {
			tb.Errorf("cleanup: %v", err)
		}
	})
	return c
}

func TestCache(t *testing.T) {
	porttest.RunCache(t, harness())
}

// harness runs the suite on GATEHOUSE_TEST_REDIS_URL when set (time passes
// for real), else on one miniredis per subtest (time is fast-forwarded).
func harness() porttest.CacheHarness {
	if url := os.Getenv(testRedisURL); url != "" {
		return porttest.CacheHarness{
			New:     func(tb testing.TB) ports.Cache { return newTestCache(tb, url) },
			Advance: func(_ testing.TB, d time.Duration) { time.Sleep(d) },
		}
	}
	var servers sync.Map // testing.TB -> *miniredis.Miniredis
	return porttest.CacheHarness{
		New: func(tb testing.TB) ports.Cache {
			mr := miniredis.RunT(tb)
			servers.Store(tb, mr)
			tb.Cleanup(func() { servers.Delete(tb) })
			return newTestCache(tb, "redis://"+mr.Addr())
		},
		Advance: func(tb testing.TB, d time.Duration) {
			tb.Helper()
			mr, ok := servers.Load(tb)
			if !ok {
				tb.Fatalf("Advance: no cache was made for this test")
			}
			mr.(*miniredis.Miniredis).FastForward(d)
		},
	}
}
