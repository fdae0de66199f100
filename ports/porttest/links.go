package porttest

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/links"
	"gatehouse/ports"
)

// RunLinkStore checks the ports.LinkStore contract. newStore must return an
// empty store of its own on every call.
func RunLinkStore(t *testing.T, newStore func(tb testing.TB) ports.LinkStore) {
	tests := []struct {
		name string
		run  func(t *testing.T, s ports.LinkStore)
	}{
		{"CreateLink round-trips by ID and by alias", linkCreate},
		{"CreateLink refuses a taken alias or ID", linkCreateTaken},
		{"Aliases are case-sensitive", linkAliasCase},
		{"Unknown ID or alias is NotFound", linkNotFound},
		{"UpdateLink replaces the editable fields only", linkUpdate},
		{"UpdateLink frees the old alias and refuses a taken one", linkUpdateAlias},
		{"DeleteLink removes the link and frees its alias", linkDelete},
		{"LinksByOwner lists newest first", linkList},
		{"DeleteLinksByOwner removes one owner's links only", linkDeleteOwner},
		{"AddRedirects adds exactly and ignores deleted links", linkAddRedirects},
		{"Concurrent CreateLink of one alias: exactly one wins", linkCreateRace},
		{"Concurrent UpdateLink to one alias: exactly one wins", linkUpdateRace},
		{"Concurrent AddRedirects: exact total", linkAddRedirectsRace},
		{"AddRedirects adds a batch of links at once", linkAddRedirectsBatch},
		{"TakeRedirect counts within the budget only", linkTakeRedirect},
		{"Concurrent TakeRedirect never overruns the budget", linkTakeRedirectRace},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newStore(t))
		})
	}
}

// link is a link made n minutes after base, with every field set.
func link(id, alias, owner string, n int) links.Link {
	return links.Link{
		ID: id, Alias: alias, Target: "https://example.com/" + id + "?q=1#top", OwnerID: owner,
		Redirects: int64(n), CreatedAt: at(n), UpdatedAt: at(n + 1),
		ExpiresAt: at(n + 60), MaxRedirects: 1000,
	}
}

func normLink(l links.Link) links.Link {
	l.CreatedAt, l.UpdatedAt, l.ExpiresAt = ms(l.CreatedAt), ms(l.UpdatedAt), ms(l.ExpiresAt)
	return l
}

func createLink(tb testing.TB, s ports.LinkStore, l links.Link) {
	tb.Helper()
	must(tb, s.CreateLink(tb.Context(), l), "CreateLink "+l.ID)
}

// wantLink fails tb unless the store holds want under its ID and its alias.
func wantLink(tb testing.TB, s ports.LinkStore, want links.Link, what string) {
	tb.Helper()
	got, err := s.LinkByID(tb.Context(), want.ID)
	must(tb, err, what+": LinkByID")
	wantEqual(tb, got, want, normLink, what+": LinkByID")
	got, err = s.LinkByAlias(tb.Context(), want.Alias)
	must(tb, err, what+": LinkByAlias")
	wantEqual(tb, got, want, normLink, what+": LinkByAlias")
}

func wantNoAlias(tb testing.TB, s ports.LinkStore, alias, what string) {
	tb.Helper()
	_, err := s.LinkByAlias(tb.Context(), alias)
	wantFault(tb, err, fault.NotFound, links.ReasonNotFound, what)
}

func linkCreate(t *testing.T, s ports.LinkStore) {
	l := link("l1", "abc", "u1", 1)
	createLink(t, s, l)
	wantLink(t, s, l, "created link")

	bare := links.Link{ID: "l2", Alias: "bare", Target: "http://example.com", OwnerID: "u1", CreatedAt: at(2), UpdatedAt: at(2)}
	createLink(t, s, bare)
	wantLink(t, s, bare, "link without expiry or budget") // zero times stay zero
}

func linkCreateTaken(t *testing.T, s ports.LinkStore) {
	createLink(t, s, link("l1", "abc", "u1", 1))
	err := s.CreateLink(t.Context(), link("l2", "abc", "u2", 2))
	wantFault(t, err, fault.Conflict, links.ReasonAliasTaken, "CreateLink of a taken alias")
	err = s.CreateLink(t.Context(), link("l1", "other", "u2", 2))
	wantFault(t, err, fault.Conflict, links.ReasonIDTaken, "CreateLink of a taken ID")
	_, err = s.LinkByAlias(t.Context(), "other")
	wantFault(t, err, fault.NotFound, links.ReasonNotFound, "alias of a refused CreateLink")
	wantLink(t, s, link("l1", "abc", "u1", 1), "first link after refused creates")
}

func linkAliasCase(t *testing.T, s ports.LinkStore) {
	lower, upper := link("l1", "abc", "u1", 1), link("l2", "ABC", "u1", 2)
	createLink(t, s, lower)
	createLink(t, s, upper)
	wantLink(t, s, lower, "lower-case alias")
	wantLink(t, s, upper, "upper-case alias")
	wantNoAlias(t, s, "Abc", "LinkByAlias in another case")
}

func linkNotFound(t *testing.T, s ports.LinkStore) {
	createLink(t, s, link("l1", "abc", "u1", 1))
	_, err := s.LinkByID(t.Context(), "nope")
	wantFault(t, err, fault.NotFound, links.ReasonNotFound, "LinkByID of an unknown ID")
	wantNoAlias(t, s, "nope", "LinkByAlias of an unknown alias")
	_, err = s.LinkByID(t.Context(), "abc")
	wantFault(t, err, fault.NotFound, links.ReasonNotFound, "LinkByID of an alias")
	wantNoAlias(t, s, "l1", "LinkByAlias of an ID")
}

func linkUpdate(t *testing.T, s ports.LinkStore) {
	orig := link("l1", "abc", "u1", 1)
	createLink(t, s, orig)
	must(t, addRedirects(t, s, "l1", 5), "AddRedirects")

	change := links.Link{
		ID: "l1", Alias: "abc", Target: "https://example.org/new", OwnerID: "intruder",
		Redirects: 999, CreatedAt: at(50), UpdatedAt: at(9), ExpiresAt: at(99), MaxRedirects: 7,
	}
	must(t, s.UpdateLink(t.Context(), change), "UpdateLink")
	want := orig
	want.Target, want.UpdatedAt, want.ExpiresAt, want.MaxRedirects = change.Target, change.UpdatedAt, change.ExpiresAt, change.MaxRedirects
	want.Redirects = orig.Redirects + 5
	wantLink(t, s, want, "updated link")

	change.ExpiresAt, change.MaxRedirects = time.Time{}, 0
	must(t, s.UpdateLink(t.Context(), change), "UpdateLink clearing the limits")
	want.ExpiresAt, want.MaxRedirects = time.Time{}, 0
	wantLink(t, s, want, "link with limits cleared")

	err := s.UpdateLink(t.Context(), link("nope", "fresh", "u1", 1))
	wantFault(t, err, fault.NotFound, links.ReasonNotFound, "UpdateLink of an unknown ID")
	wantNoAlias(t, s, "fresh", "alias of a refused UpdateLink")
}

func linkUpdateAlias(t *testing.T, s ports.LinkStore) {
	a, b := link("l1", "first", "u1", 1), link("l2", "second", "u1", 2)
	createLink(t, s, a)
	createLink(t, s, b)

	a.Alias = "renamed"
	must(t, s.UpdateLink(t.Context(), a), "UpdateLink to a free alias")
	wantLink(t, s, a, "renamed link")
	wantNoAlias(t, s, "first", "old alias after a rename")
	createLink(t, s, link("l3", "first", "u2", 3)) // the old alias is free again

	taken := a
	taken.Alias, taken.Target = "second", "https://example.org/lost"
	err := s.UpdateLink(t.Context(), taken)
	wantFault(t, err, fault.Conflict, links.ReasonAliasTaken, "UpdateLink to a taken alias")
	wantLink(t, s, a, "link after a refused rename")
	wantLink(t, s, b, "holder of the alias after a refused rename")
}

func linkDelete(t *testing.T, s ports.LinkStore) {
	createLink(t, s, link("l1", "abc", "u1", 1))
	createLink(t, s, link("l2", "def", "u1", 2))
	must(t, s.DeleteLink(t.Context(), "l1"), "DeleteLink")
	_, err := s.LinkByID(t.Context(), "l1")
	wantFault(t, err, fault.NotFound, links.ReasonNotFound, "LinkByID after DeleteLink")
	wantNoAlias(t, s, "abc", "LinkByAlias after DeleteLink")
	err = s.DeleteLink(t.Context(), "l1")
	wantFault(t, err, fault.NotFound, links.ReasonNotFound, "DeleteLink twice")
	createLink(t, s, link("l3", "abc", "u2", 3)) // the alias is free again
	wantLink(t, s, link("l2", "def", "u1", 2), "the other link")
}

func linkList(t *testing.T, s ports.LinkStore) {
	for i, id := range []string{"b", "d", "a", "c"} {
		createLink(t, s, link(id, "alias-"+id, "u1", []int{2, 4, 1, 3}[i]))
	}
	createLink(t, s, link("x", "alias-x", "u2", 9))
	got, err := s.LinksByOwner(t.Context(), "u1")
	must(t, err, "LinksByOwner")
	var ids []string
	for _, l := range got {
		ids = append(ids, l.ID)
	}
	if !reflect.DeepEqual(ids, []string{"d", "c", "b", "a"}) {
		t.Fatalf("LinksByOwner order %q, want [d c b a]", ids)
	}
	wantEqual(t, got[0], link("d", "alias-d", "u1", 4), normLink, "listed link")
	got, err = s.LinksByOwner(t.Context(), "nobody")
	must(t, err, "LinksByOwner of an unknown owner")
	if len(got) != 0 {
		t.Fatalf("LinksByOwner of an unknown owner: %d links, want 0", len(got))
	}
}

func linkDeleteOwner(t *testing.T, s ports.LinkStore) {
	for i := range 3 {
		createLink(t, s, link(fmt.Sprint("u1-", i), fmt.Sprint("u1-alias-", i), "u1", i))
	}
	other := link("u2-0", "u2-alias", "u2", 5)
	createLink(t, s, other)
	n, err := s.DeleteLinksByOwner(t.Context(), "u1")
	must(t, err, "DeleteLinksByOwner")
	if n != 3 {
		t.Fatalf("DeleteLinksByOwner removed %d, want 3", n)
	}
	list, err := s.LinksByOwner(t.Context(), "u1")
	must(t, err, "LinksByOwner")
	if len(list) != 0 {
		t.Fatalf("after DeleteLinksByOwner: %d links left, want 0", len(list))
	}
	wantNoAlias(t, s, "u1-alias-0", "alias of a deleted owner's link")
	createLink(t, s, link("new", "u1-alias-1", "u3", 6)) // aliases are free again
	wantLink(t, s, other, "the other owner's link")
	n, err = s.DeleteLinksByOwner(t.Context(), "nobody")
	must(t, err, "DeleteLinksByOwner of an unknown owner")
	if n != 0 {
		t.Fatalf("DeleteLinksByOwner of an unknown owner removed %d, want 0", n)
	}
}

func linkAddRedirects(t *testing.T, s ports.LinkStore) {
	l := link("l1", "abc", "u1", 0)
	createLink(t, s, l)
	must(t, addRedirects(t, s, "l1", 3), "AddRedirects 3")
	must(t, addRedirects(t, s, "l1", 1<<40), "AddRedirects 2^40")
	l.Redirects = 3 + 1<<40
	wantLink(t, s, l, "link after AddRedirects")
	must(t, s.DeleteLink(t.Context(), "l1"), "DeleteLink")
	must(t, addRedirects(t, s, "l1", 2), "AddRedirects to a deleted link")
	must(t, addRedirects(t, s, "never", 2), "AddRedirects to an unknown link")
	_, err := s.LinkByID(t.Context(), "l1")
	wantFault(t, err, fault.NotFound, links.ReasonNotFound, "AddRedirects must not revive a deleted link")
}

func linkCreateRace(t *testing.T, s ports.LinkStore) {
	errs := race(racers, func(i int) error {
		return s.CreateLink(t.Context(), link(fmt.Sprint("l", i), "same", fmt.Sprint("u", i), i))
	})
	w := oneWinner(t, errs, fault.Conflict, links.ReasonAliasTaken)
	wantLink(t, s, link(fmt.Sprint("l", w), "same", fmt.Sprint("u", w), w), "the winner")
}

func linkUpdateRace(t *testing.T, s ports.LinkStore) {
	for i := range racers {
		createLink(t, s, link(fmt.Sprint("l", i), fmt.Sprint("own-", i), "u1", i))
	}
	errs := race(racers, func(i int) error {
		l := link(fmt.Sprint("l", i), "wanted", "u1", i)
		return s.UpdateLink(t.Context(), l)
	})
	w := oneWinner(t, errs, fault.Conflict, links.ReasonAliasTaken)
	got, err := s.LinkByAlias(t.Context(), "wanted")
	must(t, err, "LinkByAlias of the raced alias")
	if got.ID != fmt.Sprint("l", w) {
		t.Fatalf("alias held by %s, want the winner l%d", got.ID, w)
	}
	for i := range racers {
		if i != w {
			wantLink(t, s, link(fmt.Sprint("l", i), fmt.Sprint("own-", i), "u1", i), "a loser")
		}
	}
}

func linkAddRedirectsRace(t *testing.T, s ports.LinkStore) {
	l := link("l1", "abc", "u1", 0)
	createLink(t, s, l)
	const each = 20
	errs := race(racers, func(int) error {
		for range each {
			if err := addRedirects(t, s, "l1", 1); err != nil {
				return err
			}
		}
		return nil
	})
	for i, err := range errs {
		must(t, err, fmt.Sprint("AddRedirects of racer ", i))
	}
	l.Redirects = racers * each
	wantLink(t, s, l, "link after concurrent AddRedirects")
}

// addRedirects adds n to one link's count.
func addRedirects(tb testing.TB, s ports.LinkStore, id string, n int64) error {
	tb.Helper()
	unapplied, err := s.AddRedirects(tb.Context(), map[string]int64{id: n})
	if err == nil && len(unapplied) != 0 {
		tb.Fatalf("AddRedirects succeeded but left %v unapplied", unapplied)
	}
	return err
}

func linkAddRedirectsBatch(t *testing.T, s ports.LinkStore) {
	a, b := link("l1", "abc", "u1", 0), link("l2", "def", "u1", 1)
	createLink(t, s, a)
	createLink(t, s, b)
	unapplied, err := s.AddRedirects(t.Context(), map[string]int64{"l1": 7, "l2": 2, "never": 5})
	must(t, err, "AddRedirects of a batch")
	if len(unapplied) != 0 {
		t.Fatalf("a successful AddRedirects left %v unapplied", unapplied)
	}
	a.Redirects, b.Redirects = 7, 3
	wantLink(t, s, a, "first link of the batch")
	wantLink(t, s, b, "second link of the batch")
	unapplied, err = s.AddRedirects(t.Context(), nil)
	if err != nil || len(unapplied) != 0 {
		t.Fatalf("an empty batch: %v, %v", unapplied, err)
	}
}
