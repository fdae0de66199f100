package linksvc_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/links"
	"gatehouse/ports"
)

func TestLookupFaults(t *testing.T) {
	w := newWorld(t)
	s := w.replica(t)
	ctx := context.Background()
	expiring, err := s.Create(ctx, "u1", ports.NewLink{Target: "https://example.com/e", ExpiresAt: w.clock.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Lookup(ctx, expiring.Alias); err != nil { // cached locally from now on
		t.Fatalf("Lookup before expiry: %v", err)
	}
	w.clock.Advance(time.Hour)
	tests := []struct {
		name   string
		alias  string
		code   fault.Code
		reason string
	}{
		{"unknown", "nope123", fault.NotFound, links.ReasonNotFound},
		{"empty", "", fault.NotFound, links.ReasonNotFound},
		{"malformed", "a/b", fault.NotFound, links.ReasonNotFound},
		{"reserved", "healthz", fault.NotFound, links.ReasonNotFound},
		{"expired", expiring.Alias, fault.Gone, links.ReasonGone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Lookup(ctx, tt.alias)
			wantFault(t, err, tt.code, tt.reason, "Lookup "+tt.alias)
		})
	}
}

// TestLookupCountsNothing: lookups leave the count alone, on a link with a
// budget and on one without.
func TestLookupCountsNothing(t *testing.T) {
	w := newWorld(t)
	s := w.replica(t)
	ctx := context.Background()
	free := create(t, s, "u1", "https://example.com/free", "free")
	limited, err := s.Create(ctx, "u1", ports.NewLink{Target: "https://example.com/lim", Alias: "limited", MaxRedirects: 3})
	if err != nil {
		t.Fatal(err)
	}
	resolve(t, s, "free")
	resolve(t, s, "limited")
	for _, want := range []links.Link{free, limited} {
		for range 5 {
			got, err := s.Lookup(ctx, want.Alias)
			if err != nil {
				t.Fatalf("Lookup %q: %v", want.Alias, err)
			}
			if got.ID != want.ID || got.Target != want.Target || got.OwnerID != "u1" || got.MaxRedirects != want.MaxRedirects {
				t.Fatalf("Lookup %q = %+v, want %+v", want.Alias, got, want)
			}
		}
	}
	stop(t, s)
	for _, l := range []links.Link{free, limited} {
		if got := w.stored(t, l.ID); got != 1 {
			t.Fatalf("stored count of %q is %d after one redirect and five lookups, want 1", l.Alias, got)
		}
	}
}

// TestLookupSeesExhaustion: a replica holding a copy of a link with a
// budget finds it gone once another replica served the last redirect,
// before any flush.
func TestLookupSeesExhaustion(t *testing.T) {
	w := newWorld(t)
	a, b := w.replica(t), w.replica(t)
	ctx := context.Background()
	l, err := a.Create(ctx, "u1", ports.NewLink{Target: "https://example.com", MaxRedirects: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Lookup(ctx, l.Alias); err != nil {
		t.Fatalf("Lookup of a fresh link: %v", err)
	}
	resolve(t, a, l.Alias)
	if _, err := b.Lookup(ctx, l.Alias); err != nil {
		t.Fatalf("Lookup with one redirect left: %v", err)
	}
	resolve(t, a, l.Alias)
	_, err = b.Lookup(ctx, l.Alias)
	wantFault(t, err, fault.Gone, links.ReasonGone, "Lookup of an exhausted link")
	_, err = a.Resolve(ctx, l.Alias)
	wantFault(t, err, fault.Gone, links.ReasonGone, "Resolve of an exhausted link")
}

// reservingReplica is a replica whose policy reserves words, its cache
// not started: Create and Resolve need no subscription.
func reservingReplica(tb testing.TB, w *world, random io.Reader, words ...string) *replica {
	tb.Helper()
	p := testPolicy
	p.Reserved = words
	return w.unstarted(tb, w.store, random, w.clock, p)
}

func TestPolicyReservedWords(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	// A link made before its alias became a route word: the route wins.
	if err := w.store.CreateLink(ctx, links.Link{ID: "old", Alias: "links", Target: "https://example.com", OwnerID: "u1"}); err != nil {
		t.Fatal(err)
	}
	s := reservingReplica(t, w, rand.Reader, "links", "go")
	for _, alias := range []string{"links", "LINKS", "auth"} {
		_, err := s.Create(ctx, "u1", ports.NewLink{Target: "https://example.com", Alias: alias})
		if fe, ok := fault.As(err); !ok || fe.Code != fault.Invalid || len(fe.Fields) != 1 || fe.Fields[0].Field != "alias" || fe.Fields[0].Rule != "reserved" {
			t.Fatalf("Create %q: %v, want the alias refused as reserved", alias, err)
		}
	}
	for _, alias := range []string{"links", "Links"} {
		_, err := s.Resolve(ctx, alias)
		wantFault(t, err, fault.NotFound, links.ReasonNotFound, "Resolve of reserved "+alias)
		_, err = s.Lookup(ctx, alias)
		wantFault(t, err, fault.NotFound, links.ReasonNotFound, "Lookup of reserved "+alias)
	}

	// Zero bytes spell "0000000": reserved, it is drawn again.
	_, err := reservingReplica(t, w, zeros{}, "0000000").Create(ctx, "u1", ports.NewLink{Target: "https://example.com/z"})
	wantFault(t, err, fault.Internal, "links.random", "Create when every draw is reserved")
	redraw := reservingReplica(t, w, io.MultiReader(bytes.NewReader(make([]byte, 14)), rand.Reader), "0000000")
	if l := create(t, redraw, "u1", "https://example.com/z", ""); l.Alias == "0000000" {
		t.Fatalf("generated alias %q is reserved", l.Alias)
	}
}
