package mongostore_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"gatehouse/adapters/mongostore"
	"gatehouse/core/fault"
	"gatehouse/core/links"
)

func link(id, alias, owner string, created time.Time) links.Link {
	return links.Link{
		ID: id, Alias: alias, Target: "https://example.com/" + id, OwnerID: owner,
		CreatedAt: created, UpdatedAt: created,
	}
}

func mustCreateLink(tb testing.TB, s *mongostore.LinkStore, l links.Link) {
	tb.Helper()
	if err := s.CreateLink(tb.Context(), l); err != nil {
		tb.Fatalf("CreateLink %s: %v", l.ID, err)
	}
}

func TestCreateLinkConflicts(t *testing.T) {
	c, _ := newClient(t)
	s := mongostore.NewLinkStore(c)
	mustCreateLink(t, s, link("1", "abc", "u", t0))
	tests := []struct {
		name   string
		l      links.Link
		reason string
	}{
		{"taken alias", link("2", "abc", "u", t0), "links.alias_taken"},
		{"taken ID", link("1", "xyz", "u", t0), "links.id_taken"},
		{"both taken", link("1", "abc", "u", t0), "links.id_taken"},
		{"alias differing in case", link("3", "ABC", "u", t0), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.CreateLink(t.Context(), tt.l)
			if fault.ReasonOf(err) != tt.reason || (tt.reason == "") != (err == nil) {
				t.Fatalf("CreateLink: %v, want reason %q", err, tt.reason)
			}
		})
	}
}

func TestUpdateLink(t *testing.T) {
	c, _ := newClient(t)
	s := mongostore.NewLinkStore(c)
	mustCreateLink(t, s, link("1", "one", "u", t0))
	mustCreateLink(t, s, link("2", "two", "u", t0))
	if _, err := s.AddRedirects(t.Context(), map[string]int64{"1": 7}); err != nil {
		t.Fatalf("AddRedirects: %v", err)
	}
	later := t0.Add(time.Hour)
	upd := links.Link{
		ID: "1", Alias: "uno", Target: "https://example.org/", OwnerID: "someone else",
		Redirects: 99, CreatedAt: later, UpdatedAt: later, ExpiresAt: later.Add(time.Hour), MaxRedirects: 10,
	}
	if err := s.UpdateLink(t.Context(), upd); err != nil {
		t.Fatalf("UpdateLink: %v", err)
	}
	got, err := s.LinkByAlias(t.Context(), "uno")
	want := links.Link{
		ID: "1", Alias: "uno", Target: "https://example.org/", OwnerID: "u",
		Redirects: 7, CreatedAt: t0, UpdatedAt: later, ExpiresAt: later.Add(time.Hour), MaxRedirects: 10,
	}
	if err != nil || got != want {
		t.Fatalf("LinkByAlias after update = %+v, %v; want %+v", got, err, want)
	}
	if _, err := s.LinkByAlias(t.Context(), "one"); fault.ReasonOf(err) != "links.not_found" {
		t.Fatalf("old alias: %v, want not_found", err)
	}
	mustCreateLink(t, s, link("3", "one", "u", t0)) // the old alias is free

	tests := []struct {
		name   string
		l      links.Link
		reason string
	}{
		{"to a taken alias", links.Link{ID: "1", Alias: "two"}, "links.alias_taken"},
		{"keeping its alias", links.Link{ID: "2", Alias: "two", Target: "https://example.net/"}, ""},
		{"of an unknown link", links.Link{ID: "9", Alias: "nine"}, "links.not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.UpdateLink(t.Context(), tt.l)
			if fault.ReasonOf(err) != tt.reason || (tt.reason == "") != (err == nil) {
				t.Fatalf("UpdateLink: %v, want reason %q", err, tt.reason)
			}
		})
	}
	if got, err := s.LinkByID(t.Context(), "1"); err != nil || got.Alias != "uno" {
		t.Fatalf("link 1 after a refused update = %+v, %v; want alias uno", got, err)
	}
}

func TestLinksByOwnerAndDeletes(t *testing.T) {
	c, _ := newClient(t)
	s := mongostore.NewLinkStore(c)
	for i := range 4 {
		mustCreateLink(t, s, link(fmt.Sprint(i), fmt.Sprintf("a%d", i), "u", t0.Add(time.Duration(i)*time.Minute)))
	}
	mustCreateLink(t, s, link("other", "other", "v", t0))
	if err := s.DeleteLink(t.Context(), "2"); err != nil {
		t.Fatalf("DeleteLink: %v", err)
	}
	if err := s.DeleteLink(t.Context(), "2"); fault.ReasonOf(err) != "links.not_found" {
		t.Fatalf("DeleteLink again: %v, want not_found", err)
	}
	ls, err := s.LinksByOwner(t.Context(), "u")
	if err != nil {
		t.Fatalf("LinksByOwner: %v", err)
	}
	var ids []string
	for _, l := range ls {
		ids = append(ids, l.ID)
	}
	if !slices.Equal(ids, []string{"3", "1", "0"}) {
		t.Fatalf("LinksByOwner = %q, want newest first [3 1 0]", ids)
	}
	n, err := s.DeleteLinksByOwner(t.Context(), "u")
	if err != nil || n != 3 {
		t.Fatalf("DeleteLinksByOwner = %d, %v; want 3", n, err)
	}
	if ls, err := s.LinksByOwner(t.Context(), "u"); err != nil || len(ls) != 0 {
		t.Fatalf("LinksByOwner after delete = %d, %v; want none", len(ls), err)
	}
	if _, err := s.LinkByID(t.Context(), "other"); err != nil {
		t.Fatalf("another owner's link: %v", err)
	}
	if _, err := s.AddRedirects(t.Context(), map[string]int64{"1": 1}); err != nil {
		t.Fatalf("AddRedirects of a deleted link: %v, want nil", err)
	}
}

func TestRaceCreateLinkOneAlias(t *testing.T) {
	c, _ := newClient(t)
	s := mongostore.NewLinkStore(c)
	errs := race(func(i int) error { return s.CreateLink(t.Context(), link(fmt.Sprint(i), "same", "u", t0)) })
	winners := 0
	for i, err := range errs {
		switch {
		case err == nil:
			winners++
		case fault.ReasonOf(err) != "links.alias_taken":
			t.Fatalf("CreateLink %d: %v, want nil or alias_taken", i, err)
		}
	}
	if winners != 1 {
		t.Fatalf("%d CreateLink calls with one alias succeeded, want 1", winners)
	}
}

func TestRaceUpdateLinksToOneAlias(t *testing.T) {
	c, _ := newClient(t)
	s := mongostore.NewLinkStore(c)
	for i := range racers {
		mustCreateLink(t, s, link(fmt.Sprint(i), fmt.Sprintf("a%d", i), "u", t0))
	}
	errs := race(func(i int) error {
		return s.UpdateLink(t.Context(), links.Link{ID: fmt.Sprint(i), Alias: "same", Target: "https://example.com/"})
	})
	winners := 0
	for i, err := range errs {
		switch {
		case err == nil:
			winners++
		case fault.ReasonOf(err) != "links.alias_taken":
			t.Fatalf("UpdateLink %d: %v, want nil or alias_taken", i, err)
		}
	}
	if winners != 1 {
		t.Fatalf("%d UpdateLink calls to one alias succeeded, want 1", winners)
	}
}

// Concurrent AddRedirects, and an UpdateLink among them, lose no count.
func TestRaceAddRedirectsExact(t *testing.T) {
	const adds = 50
	c, _ := newClient(t)
	s := mongostore.NewLinkStore(c)
	mustCreateLink(t, s, link("l", "l", "u", t0))
	errs := make(chan error, adds+1)
	start := make(chan struct{})
	for range adds {
		go func() {
			<-start
			_, err := s.AddRedirects(t.Context(), map[string]int64{"l": 1})
			errs <- err
		}()
	}
	go func() {
		<-start
		errs <- s.UpdateLink(t.Context(), links.Link{ID: "l", Alias: "m", Target: "https://example.org/"})
	}()
	close(start)
	for range adds + 1 {
		if err := <-errs; err != nil {
			t.Fatalf("AddRedirects or UpdateLink: %v", err)
		}
	}
	got, err := s.LinkByID(t.Context(), "l")
	if err != nil || got.Redirects != adds || got.Alias != "m" {
		t.Fatalf("after the race: %+v, %v; want %d redirects and alias m", got, err, adds)
	}
}
