package porttest

import (
	"fmt"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/links"
	"gatehouse/ports"
)

func linkTakeRedirect(t *testing.T, s ports.LinkStore) {
	ctx := t.Context()
	limited := link("l1", "abc", "u1", 0)
	limited.Redirects, limited.MaxRedirects = 1, 2
	createLink(t, s, limited)
	free := link("l2", "def", "u1", 0)
	free.MaxRedirects = 0
	createLink(t, s, free)

	got, ok, err := s.TakeRedirect(ctx, "l1")
	must(t, err, "TakeRedirect within the budget")
	if !ok || got.Redirects != 2 {
		t.Fatalf("TakeRedirect 2 of 2 = (%d, %v), want (2, true)", got.Redirects, ok)
	}
	got, ok, err = s.TakeRedirect(ctx, "l1")
	must(t, err, "TakeRedirect beyond the budget")
	if ok || got.Redirects != 2 || got.Target != limited.Target {
		t.Fatalf("TakeRedirect 3 of 2 = (%d, %v, %q), want the stored link at 2 and false", got.Redirects, ok, got.Target)
	}
	limited.Redirects = 2
	wantLink(t, s, limited, "link after a refused TakeRedirect")

	for i := range 3 {
		got, ok, err = s.TakeRedirect(ctx, "l2")
		must(t, err, "TakeRedirect without a budget")
		if !ok || got.Redirects != int64(i+1) {
			t.Fatalf("TakeRedirect %d without a budget = (%d, %v)", i+1, got.Redirects, ok)
		}
	}

	_, _, err = s.TakeRedirect(ctx, "never")
	wantFault(t, err, fault.NotFound, links.ReasonNotFound, "TakeRedirect of an unknown link")
}

func linkTakeRedirectRace(t *testing.T, s ports.LinkStore) {
	l := link("l1", "abc", "u1", 0)
	l.MaxRedirects = 5
	createLink(t, s, l)
	const each = 3
	taken := make([]int, racers)
	errs := race(racers, func(i int) error {
		for range each {
			_, ok, err := s.TakeRedirect(t.Context(), "l1")
			if err != nil {
				return err
			}
			if ok {
				taken[i]++
			}
		}
		return nil
	})
	total := 0
	for i, err := range errs {
		must(t, err, fmt.Sprint("TakeRedirect of racer ", i))
		total += taken[i]
	}
	if total != 5 {
		t.Fatalf("%d concurrent TakeRedirects admitted %d, want exactly the budget of 5", racers*each, total)
	}
	l.Redirects = 5
	wantLink(t, s, l, "link after concurrent TakeRedirect")
}
