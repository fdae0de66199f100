package linkcache_test

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"gatehouse/adapters/linkcache"
	"gatehouse/adapters/memstore"
	"gatehouse/adapters/rediscache"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

// localTTL is the replicas' local TTL in the contract runs.
const localTTL = time.Minute

func newReplica(tb testing.TB, shared ports.Cache, bus ports.Broadcaster, clock ports.Clock) ports.LinkCache {
	tb.Helper()
	c, err := linkcache.New(shared, bus, clock, linkcache.Options{LocalTTL: localTTL})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// TestContractOnMemstore: replicas of one process sharing memstore's
// cache and broadcaster.
func TestContractOnMemstore(t *testing.T) {
	porttest.RunLinkCache(t, porttest.LinkCacheHarness{
		Backing: func(tb testing.TB) (ports.Cache, ports.Broadcaster) {
			c := memstore.NewCache(porttest.NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)))
			tb.Cleanup(func() { _ = c.Close() })
			return c, memstore.NewBroadcaster()
		},
		New:      newReplica,
		LocalTTL: localTTL,
	})
}

// TestContractWithoutSharedTier: replicas of one process whose cache is
// their own memory keep no second tier; the contract holds all the same.
func TestContractWithoutSharedTier(t *testing.T) {
	porttest.RunLinkCache(t, porttest.LinkCacheHarness{
		Backing: func(tb testing.TB) (ports.Cache, ports.Broadcaster) {
			c := memstore.NewCache(porttest.NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)))
			tb.Cleanup(func() { _ = c.Close() })
			return c, memstore.NewBroadcaster()
		},
		New: func(tb testing.TB, _ ports.Cache, bus ports.Broadcaster, clock ports.Clock) ports.LinkCache {
			return newReplica(tb, nil, bus, clock)
		},
		LocalTTL:     localTTL,
		NoSharedTier: true,
	})
}

// TestContractOnRedis: replicas sharing Redis, as deployed, each subtest
// under a prefix of its own. Redis is GATEHOUSE_TEST_REDIS_URL when set,
// else a miniredis per subtest.
func TestContractOnRedis(t *testing.T) {
	url := os.Getenv("GATEHOUSE_TEST_REDIS_URL")
	porttest.RunLinkCache(t, porttest.LinkCacheHarness{
		Backing: func(tb testing.TB) (ports.Cache, ports.Broadcaster) {
			tb.Helper()
			u := url
			if u == "" {
				u = "redis://" + miniredis.RunT(tb).Addr()
			}
			var p [8]byte
			_, _ = rand.Read(p[:])
			c, err := rediscache.New(tb.Context(), rediscache.Options{URL: u, Prefix: "gatehouse-test:" + hex.EncodeToString(p[:]) + ":"})
			if err != nil {
				tb.Fatal(err)
			}
			tb.Cleanup(func() { _ = c.Close() })
			return c, rediscache.NewBroadcaster(c)
		},
		New:      newReplica,
		LocalTTL: localTTL,
	})
}

func TestNewRefusesMissingParts(t *testing.T) {
	clock := porttest.NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	cache, bus := memstore.NewCache(clock), memstore.NewBroadcaster()
	t.Cleanup(func() { _ = cache.Close() })
	tests := []struct {
		name   string
		shared ports.Cache
		bus    ports.Broadcaster
		clock  ports.Clock
		o      linkcache.Options
	}{
		{"no broadcaster", cache, nil, clock, linkcache.Options{}},
		{"no clock", cache, bus, nil, linkcache.Options{}},
		{"negative size", cache, bus, clock, linkcache.Options{Size: -1}},
		{"negative ttl", cache, bus, clock, linkcache.Options{LocalTTL: -time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := linkcache.New(tt.shared, tt.bus, tt.clock, tt.o); err == nil {
				t.Fatal("nil error")
			}
		})
	}
}
