package linksvc_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"gatehouse/core/links"
	"gatehouse/core/links/linksvc"
)

// TestCountsExactAcrossReplicas is the promise of the package: three
// replicas sharing one cache and store serve redirects from 16 goroutines
// each while their flushers and folders run; once all have stopped, every
// stored count equals the redirects served.
func TestCountsExactAcrossReplicas(t *testing.T) {
	w := newWorld(t)
	replicas := []*linksvc.Service{w.replica(t), w.replica(t), w.replica(t)}
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
// counts into the shared cache; another replica's List shows the count and
// its Stop folds it.
func TestRedirectsAfterStopAreKept(t *testing.T) {
	w := newWorld(t)
	a, b := w.replica(t), w.replica(t)
	l := create(t, a, "u1", "https://example.com", "late")
	resolve(t, a, "late")
	stop(t, a)
	resolve(t, a, "late")
	resolve(t, a, "late")
	list, err := b.List(context.Background(), "u1")
	if err != nil || len(list) != 1 || list[0].Redirects != 3 {
		t.Fatalf("List on the other replica: %+v, %v; want 3 redirects", list, err)
	}
	stop(t, b)
	if got := w.stored(t, l.ID); got != 3 {
		t.Fatalf("stored %d, want 3", got)
	}
}

// TestStopWaitsForAFoldLock: while another holder keeps the fold lock,
// Stop cannot fold, reports it when its context ends, and loses nothing:
// the count stays pending until a replica folds it.
func TestStopWaitsForAFoldLock(t *testing.T) {
	w := newWorld(t)
	a := w.replica(t)
	l := create(t, a, "u1", "https://example.com", "locked")
	resolve(t, a, "locked")
	ctx := context.Background()
	if ok, err := w.cache.SetNX(ctx, "links:fold:"+l.ID, []byte("other"), time.Hour); !ok || err != nil {
		t.Fatalf("take the lock: %v %v", ok, err)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if err := a.Stop(short); err == nil {
		t.Fatal("Stop with the fold lock held elsewhere: nil error")
	}
	if got := w.stored(t, l.ID); got != 0 {
		t.Fatalf("stored %d while the lock was held, want 0", got)
	}
	if err := w.cache.Delete(ctx, "links:fold:"+l.ID); err != nil {
		t.Fatal(err)
	}
	b := w.replica(t)
	if list, err := b.List(ctx, "u1"); err != nil || list[0].Redirects != 1 {
		t.Fatalf("List: %+v, %v; want 1 redirect", list, err)
	}
	stop(t, b)
	if got := w.stored(t, l.ID); got != 1 {
		t.Fatalf("stored %d, want 1", got)
	}
}

func TestStartStop(t *testing.T) {
	w := newWorld(t)
	s := w.replica(t)
	if err := s.Start(context.Background()); err == nil {
		t.Fatal("second Start: nil error")
	}
	stop(t, s)
	stop(t, s) // Stop is idempotent
	if err := s.Start(context.Background()); err == nil {
		t.Fatal("Start after Stop: nil error")
	}
}
