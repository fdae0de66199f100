package linksvc_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/alicebob/miniredis/v2"

	"gatehouse/adapters/memstore"
	"gatehouse/adapters/rediscache"
	"gatehouse/core/links/linksvc"
	"gatehouse/ports"
)

// TestReplicasOnRedis runs three replicas as deployed: each with its own
// Redis connection (same prefix) for the cache and the broadcaster, one
// shared store. Redis is GATEHOUSE_TEST_REDIS_URL when set, else miniredis.
func TestReplicasOnRedis(t *testing.T) {
	url := os.Getenv("GATEHOUSE_TEST_REDIS_URL")
	if url == "" {
		url = "redis://" + miniredis.RunT(t).Addr()
	}
	var p [8]byte
	_, _ = rand.Read(p[:])
	prefix := "gatehouse-test:" + hex.EncodeToString(p[:]) + ":"
	store := memstore.NewLinkStore()
	var replicas []*linksvc.Service
	for range 3 {
		c, err := rediscache.New(context.Background(), rediscache.Options{URL: url, Prefix: prefix})
		if err != nil {
			t.Fatal(err)
		}
		s, err := linksvc.New(linksvc.Deps{Store: store, Cache: c, Bus: rediscache.NewBroadcaster(c),
			Clock: wallClock{}, Random: rand.Reader, Policy: testPolicy})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Stop(context.Background()); _ = c.Close() })
		replicas = append(replicas, s)
	}
	l := create(t, replicas[0], "u1", "https://example.com/old", "on-redis")
	served := 0
	for _, s := range replicas {
		resolve(t, s, "on-redis") // every replica caches it
		served++
	}
	if _, _, err := replicas[0].Update(context.Background(), "u1", l.ID, ports.LinkPatch{Target: ptr("https://example.com/new")}); err != nil {
		t.Fatal(err)
	}
	for i, s := range replicas {
		eventually(t, fmt.Sprint("replica ", i, " sees the update"), func() error {
			served++
			if got := resolve(t, s, "on-redis"); got != "https://example.com/new" {
				return fmt.Errorf("resolves %q", got)
			}
			return nil
		})
	}

	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, s := range replicas {
		for range 16 {
			wg.Go(func() {
				n := 0
				for range 100 {
					if _, err := s.Resolve(context.Background(), "on-redis"); err != nil {
						t.Errorf("Resolve: %v", err)
						break
					}
					n++
				}
				mu.Lock()
				served += n
				mu.Unlock()
			})
		}
	}
	wg.Wait()
	var stops sync.WaitGroup
	for _, s := range replicas {
		stops.Go(func() {
			if err := s.Stop(context.Background()); err != nil {
				t.Errorf("Stop: %v", err)
			}
		})
	}
	stops.Wait()
	got, err := store.LinkByID(context.Background(), l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Redirects != int64(served) {
		t.Fatalf("stored %d redirects, served %d", got.Redirects, served)
	}
}
