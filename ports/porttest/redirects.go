package porttest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/links"
	"gatehouse/ports"
)

// RedirectCounterHarness builds counters for RunRedirectCounter.
type RedirectCounterHarness struct {
	// Store returns an empty link store of its own, released in tb.Cleanup.
	Store func(tb testing.TB) ports.LinkStore
	// New returns the counter of one replica over store, closed in
	// tb.Cleanup unless the test closed it.
	New func(tb testing.TB, store ports.LinkStore) ports.RedirectCounter
}

// RunRedirectCounter checks the ports.RedirectCounter contract.
func RunRedirectCounter(t *testing.T, h RedirectCounterHarness) {
	tests := []struct {
		name string
		run  func(t *testing.T, h RedirectCounterHarness, s ports.LinkStore)
	}{
		{"Add waits in process; Flush adds every count once", counterFlush},
		{"Counts are exact across replicas and concurrent flushes", counterExactReplicas},
		{"Adds racing Close are each counted once", counterCloseRace},
		{"After Close, Add counts straight into the store", counterAfterClose},
		{"A count the store refuses stays for the next Flush", counterOutage},
		{"Forget drops a link's unflushed count", counterForget},
		{"Counts of a deleted link are dropped without error", counterDeleted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, h, h.Store(t))
		})
	}
}

// counted creates n links without a budget in s and returns their IDs.
func counted(tb testing.TB, s ports.LinkStore, n int) []string {
	tb.Helper()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprint("rc", i)
		l := link(ids[i], fmt.Sprint("rc-alias-", i), "u1", 0)
		l.Redirects, l.MaxRedirects, l.ExpiresAt = 0, 0, at(100_000)
		createLink(tb, s, l)
	}
	return ids
}

// storedCount is the redirect count s holds for id.
func storedCount(tb testing.TB, s ports.LinkStore, id string) int64 {
	tb.Helper()
	l, err := s.LinkByID(context.Background(), id)
	must(tb, err, "LinkByID "+id)
	return l.Redirects
}

func wantStored(tb testing.TB, s ports.LinkStore, id string, want int64, what string) {
	tb.Helper()
	if got := storedCount(tb, s, id); got != want {
		tb.Fatalf("%s: stored %d redirects of %s, want %d", what, got, id, want)
	}
}

func wantUnflushed(tb testing.TB, c ports.RedirectCounter, id string, want int64, what string) {
	tb.Helper()
	if got := c.Unflushed(id); got != want {
		tb.Fatalf("%s: Unflushed(%s) = %d, want %d", what, id, got, want)
	}
}

func counterFlush(t *testing.T, h RedirectCounterHarness, s ports.LinkStore) {
	ctx := context.Background()
	ids := counted(t, s, 2)
	c, other := h.New(t, s), h.New(t, s)
	for range 25 {
		c.Add(ctx, ids[0])
	}
	c.Add(ctx, ids[1])
	wantStored(t, s, ids[0], 0, "before Flush")
	wantUnflushed(t, c, ids[0], 25, "before Flush")
	wantUnflushed(t, other, ids[0], 0, "another replica before Flush")
	must(t, c.Flush(ctx), "Flush")
	wantStored(t, s, ids[0], 25, "after Flush")
	wantStored(t, s, ids[1], 1, "after Flush")
	wantUnflushed(t, c, ids[0], 0, "after Flush")
	must(t, c.Flush(ctx), "second Flush")
	must(t, c.Flush(ctx), "third Flush")
	wantStored(t, s, ids[0], 25, "after flushes with nothing counted")
}

// counterExactReplicas: three replicas on one store count from 16
// goroutines each while each flushes all the time; once all have closed,
// every stored count equals the adds.
func counterExactReplicas(t *testing.T, h RedirectCounterHarness, s ports.LinkStore) {
	ctx := context.Background()
	ids := counted(t, s, 5)
	replicas := []ports.RedirectCounter{h.New(t, s), h.New(t, s), h.New(t, s)}
	const perGoroutine = 300
	added := make([][]int64, len(replicas)*racers) // per goroutine, per link
	done := make(chan struct{})
	var flushers sync.WaitGroup
	for _, c := range replicas {
		flushers.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				if err := c.Flush(ctx); err != nil {
					t.Errorf("Flush: %v", err)
					return
				}
			}
		})
	}
	var adders sync.WaitGroup
	for r, c := range replicas {
		for g := range racers {
			mine := make([]int64, len(ids))
			added[r*racers+g] = mine
			adders.Go(func() {
				for i := range perGoroutine {
					k := (i*7 + g + r) % len(ids)
					c.Add(ctx, ids[k])
					mine[k]++
				}
			})
		}
	}
	adders.Wait()
	close(done)
	flushers.Wait()
	errs := race(len(replicas), func(i int) error { return replicas[i].Close(ctx) })
	for i, err := range errs {
		must(t, err, fmt.Sprint("Close of replica ", i))
	}
	var total int64
	for k, id := range ids {
		var want int64
		for _, g := range added {
			want += g[k]
		}
		total += want
		wantStored(t, s, id, want, fmt.Sprint("link ", k))
	}
	if total != int64(len(replicas)*racers*perGoroutine) {
		t.Fatalf("added %d in all, want %d", total, len(replicas)*racers*perGoroutine)
	}
}

func counterCloseRace(t *testing.T, h RedirectCounterHarness, s ports.LinkStore) {
	ctx := context.Background()
	id := counted(t, s, 1)[0]
	c := h.New(t, s)
	const perGoroutine = 200
	start := make(chan struct{})
	var adders sync.WaitGroup
	for range racers {
		adders.Go(func() {
			<-start
			for range perGoroutine {
				c.Add(ctx, id)
			}
		})
	}
	close(start)
	must(t, c.Close(ctx), "Close while adding")
	adders.Wait()
	must(t, c.Flush(ctx), "Flush after the adds")
	wantStored(t, s, id, racers*perGoroutine, "after adds raced Close")
}

func counterAfterClose(t *testing.T, h RedirectCounterHarness, s ports.LinkStore) {
	ctx := context.Background()
	id := counted(t, s, 1)[0]
	c := h.New(t, s)
	c.Add(ctx, id)
	must(t, c.Close(ctx), "Close")
	wantStored(t, s, id, 1, "after Close")
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	c.Add(ctx, id)
	c.Add(canceled, id) // the redirect was answered: its count outlives the request
	wantStored(t, s, id, 3, "after two Adds that followed Close")
	wantUnflushed(t, c, id, 0, "after Close")
	must(t, c.Close(ctx), "second Close")
	wantStored(t, s, id, 3, "after a second Close")
}

// refusingLinks is a link store whose AddRedirects fails while down is set.
type refusingLinks struct {
	ports.LinkStore
	down atomic.Bool
}

func (r *refusingLinks) AddRedirects(ctx context.Context, counts map[string]int64) (map[string]int64, error) {
	if r.down.Load() {
		return counts, fault.New(fault.Unavailable, "storage.unavailable", "Storage is unavailable.")
	}
	return r.LinkStore.AddRedirects(ctx, counts)
}

func counterOutage(t *testing.T, h RedirectCounterHarness, s ports.LinkStore) {
	ctx := context.Background()
	id := counted(t, s, 1)[0]
	store := &refusingLinks{LinkStore: s}
	c := h.New(t, store)
	store.down.Store(true)
	for range 7 {
		c.Add(ctx, id)
	}
	wantFault(t, c.Flush(ctx), fault.Unavailable, "storage.unavailable", "Flush while storage is down")
	wantStored(t, s, id, 0, "while storage refused writes")
	wantUnflushed(t, c, id, 7, "after a refused Flush")
	store.down.Store(false)
	must(t, c.Flush(ctx), "Flush after the outage")
	wantStored(t, s, id, 7, "after the outage")
	c.Add(ctx, id)
	store.down.Store(true)
	wantFault(t, c.Close(ctx), fault.Unavailable, "storage.unavailable", "Close while storage is down")
	wantUnflushed(t, c, id, 1, "after a refused Close")
	store.down.Store(false)
	must(t, c.Flush(ctx), "Flush after a refused Close")
	wantStored(t, s, id, 8, "after a refused Close and a Flush")
}

func counterForget(t *testing.T, h RedirectCounterHarness, s ports.LinkStore) {
	ctx := context.Background()
	ids := counted(t, s, 2)
	c := h.New(t, s)
	for range 3 {
		c.Add(ctx, ids[0])
	}
	c.Add(ctx, ids[1])
	c.Add(ctx, ids[1])
	c.Forget(ids[0])
	c.Forget("never-counted")
	wantUnflushed(t, c, ids[0], 0, "after Forget")
	must(t, c.Flush(ctx), "Flush")
	wantStored(t, s, ids[0], 0, "forgotten link")
	wantStored(t, s, ids[1], 2, "other link")
}

func counterDeleted(t *testing.T, h RedirectCounterHarness, s ports.LinkStore) {
	ctx := context.Background()
	ids := counted(t, s, 2)
	c := h.New(t, s)
	c.Add(ctx, ids[0])
	c.Add(ctx, ids[1])
	must(t, s.DeleteLink(ctx, ids[0]), "DeleteLink")
	must(t, c.Flush(ctx), "Flush with a deleted link")
	wantStored(t, s, ids[1], 1, "link kept")
	_, err := s.LinkByID(ctx, ids[0])
	wantFault(t, err, fault.NotFound, links.ReasonNotFound, "LinkByID of the deleted link")
}
