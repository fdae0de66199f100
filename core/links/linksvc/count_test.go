package linksvc_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gatehouse/adapters/memstore"
	"gatehouse/core/fault"
	"gatehouse/core/links"
)

// TestCountsExactAcrossReplicas is the promise of the package: three
// replicas sharing one cache and store serve redirects from 16 goroutines
// each while their flushers run; once all have stopped, every
// stored count equals the redirects served.
func TestCountsExactAcrossReplicas(t *testing.T) {
	w := newWorld(t)
	replicas := []*replica{w.replica(t), w.replica(t), w.replica(t)}
	var ls []links.Link
	for i := range 5 {
		ls = append(ls, create(t, replicas[0], "u1", fmt.Sprint("https://example.com/", i), fmt.Sprint("link-", i)))
	}
	const perGoroutine = 300
	served := make([][]int64, len(replicas)*16) // per goroutine, per link
	var wg sync.WaitGroup
	for r, s := range replicas {
		for g := range 16 {
			mine := make([]int64, len(ls))
			served[r*16+g] = mine
			wg.Go(func() {
				for i := range perGoroutine {
					k := (i*7 + g + r) % len(ls)
					if _, err := s.Resolve(context.Background(), ls[k].Alias); err != nil {
						t.Errorf("Resolve: %v", err)
						return
					}
					mine[k]++
					if i%50 == 0 {
						time.Sleep(time.Millisecond) // let flushes interleave with counting
					}
				}
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
	var total int64
	for k, l := range ls {
		var want int64
		for _, g := range served {
			want += g[k]
		}
		total += want
		if got := w.stored(t, l.ID); got != want {
			t.Errorf("link %d: stored %d redirects, served %d", k, got, want)
		}
	}
	if total != int64(len(replicas)*16*perGoroutine) {
		t.Fatalf("served %d in all, want %d", total, len(replicas)*16*perGoroutine)
	}
}

// TestRedirectsAfterStopAreKept: a replica that serves after its Stop
// counts into the store directly.
func TestRedirectsAfterStopAreKept(t *testing.T) {
	w := newWorld(t)
	a := w.replica(t)
	l := create(t, a, "u1", "https://example.com", "late")
	resolve(t, a, "late")
	stop(t, a)
	resolve(t, a, "late")
	resolve(t, a, "late")
	if got := w.stored(t, l.ID); got != 3 {
		t.Fatalf("stored %d, want 3", got)
	}
}

// TestListIncludesUnflushedCounts: a replica's List adds the counts its
// counter holds, so an owner sees every redirect this replica served even
// while storage refuses the flushes.
func TestListIncludesUnflushedCounts(t *testing.T) {
	w := newWorld(t)
	store := &failingLinks{LinkStore: w.store}
	s := w.unstarted(t, store, rand.Reader, w.clock, testPolicy)
	if err := s.links.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	l := create(t, s, "u1", "https://example.com", "outage")
	store.down.Store(true)
	for range 7 {
		resolve(t, s, "outage")
	}
	if err := s.counter.Flush(context.Background()); err == nil {
		t.Fatal("Flush while storage refuses writes: nil error")
	}
	if got := w.stored(t, l.ID); got != 0 {
		t.Fatalf("stored %d while storage refused writes, want 0", got)
	}
	list, err := s.List(context.Background(), "u1")
	if err != nil || list[0].Redirects != 7 {
		t.Fatalf("List during the outage: %+v, %v; want 7 redirects", list, err)
	}
	store.down.Store(false)
	stop(t, s)
	if got := w.stored(t, l.ID); got != 7 {
		t.Fatalf("stored %d after the outage and a stop, want 7", got)
	}
}

// failingLinks refuses AddRedirects while down is set.
type failingLinks struct {
	*memstore.LinkStore
	down atomic.Bool
}

func (f *failingLinks) AddRedirects(ctx context.Context, counts map[string]int64) (map[string]int64, error) {
	if f.down.Load() {
		return counts, fault.New(fault.Unavailable, "storage.unavailable", "Storage is unavailable.")
	}
	return f.LinkStore.AddRedirects(ctx, counts)
}
