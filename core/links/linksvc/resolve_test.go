package linksvc_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/links"
	"gatehouse/ports"
)

func TestResolveUnknownAndMalformed(t *testing.T) {
	w := newWorld(t)
	s := w.replica(t)
	for _, alias := range []string{"nope123", "", "a/b", "x", "healthz", string(make([]byte, 100))} {
		_, err := s.Resolve(context.Background(), alias)
		wantFault(t, err, fault.NotFound, links.ReasonNotFound, fmt.Sprintf("Resolve %q", alias))
	}
}

func TestResolveExpired(t *testing.T) {
	w := newWorld(t)
	s := w.replica(t)
	ctx := context.Background()
	l, err := s.Create(ctx, "u1", ports.NewLink{Target: "https://example.com", ExpiresAt: w.clock.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	resolve(t, s, l.Alias)
	w.clock.Advance(time.Hour)
	_, err = s.Resolve(ctx, l.Alias)
	wantFault(t, err, fault.Gone, links.ReasonGone, "Resolve of an expired link")
	stop(t, s)
	if got := w.stored(t, l.ID); got != 1 {
		t.Fatalf("stored count %d, want 1: a refused redirect is not counted", got)
	}
}

// TestResolveSeesChanges: a replica that never cached the link reads
// the change at once (the changer dropped the shared copy); one that did
// drops its copy when the invalidation reaches it.
func TestResolveSeesChanges(t *testing.T) {
	w := newWorld(t)
	a, b, c := w.replica(t), w.replica(t), w.replica(t)
	ctx := context.Background()
	l := create(t, a, "u1", "https://example.com/old", "moving")
	resolve(t, a, "moving") // the shared cache holds it now
	resolve(t, b, "moving") // and b's local cache

	if _, _, err := a.Update(ctx, "u1", l.ID, ports.LinkPatch{Target: ptr("https://example.com/new")}); err != nil {
		t.Fatal(err)
	}
	if got := resolve(t, a, "moving"); got != "https://example.com/new" {
		t.Fatalf("the changing replica resolves %q", got)
	}
	if got := resolve(t, c, "moving"); got != "https://example.com/new" {
		t.Fatalf("a cold replica resolves %q", got)
	}
	eventually(t, "replica b sees the update", func() error {
		if got := resolve(t, b, "moving"); got != "https://example.com/new" {
			return fmt.Errorf("resolves %q", got)
		}
		return nil
	})

	if err := a.Delete(ctx, "u1", l.ID); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*replica{"b": b, "c": c} {
		eventually(t, "replica "+name+" sees the delete", func() error {
			if _, err := s.Resolve(ctx, "moving"); fault.ReasonOf(err) != links.ReasonNotFound {
				return fmt.Errorf("Resolve: %v", err)
			}
			return nil
		})
	}
}

// TestResolveBudgetIsExact: 3 replicas race 16 goroutines each on a link
// of 10 redirects; exactly 10 are served and counted.
func TestResolveBudgetIsExact(t *testing.T) {
	w := newWorld(t)
	replicas := []*replica{w.replica(t), w.replica(t), w.replica(t)}
	l, err := replicas[0].Create(context.Background(), "u1", ports.NewLink{Target: "https://example.com", MaxRedirects: 10})
	if err != nil {
		t.Fatal(err)
	}
	var served, gone atomic.Int64
	var wg sync.WaitGroup
	for _, r := range replicas {
		for range 16 {
			wg.Go(func() {
				for range 3 {
					_, err := r.Resolve(context.Background(), l.Alias)
					switch fault.ReasonOf(err) {
					case "":
						served.Add(1)
					case links.ReasonGone:
						gone.Add(1)
					default:
						t.Errorf("Resolve: %v", err)
					}
				}
			})
		}
	}
	wg.Wait()
	if served.Load() != 10 || gone.Load() != 3*16*3-10 {
		t.Fatalf("served %d and refused %d, want 10 and %d", served.Load(), gone.Load(), 3*16*3-10)
	}
}
