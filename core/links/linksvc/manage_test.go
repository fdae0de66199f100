package linksvc_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"regexp"
	"slices"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/links"
	"gatehouse/core/links/linksvc"
	"gatehouse/ports"
)

func TestNewRefusesMissingDeps(t *testing.T) {
	w := newWorld(t)
	r := w.replica(t)
	full := linksvc.Deps{Store: w.store, Cache: r.links, Counter: r.counter, Clock: w.clock, Random: rand.Reader}
	tests := []struct {
		name   string
		change func(*linksvc.Deps)
	}{
		{"store", func(d *linksvc.Deps) { d.Store = nil }},
		{"cache", func(d *linksvc.Deps) { d.Cache = nil }},
		{"counter", func(d *linksvc.Deps) { d.Counter = nil }},
		{"clock", func(d *linksvc.Deps) { d.Clock = nil }},
		{"random", func(d *linksvc.Deps) { d.Random = nil }},
		{"bad policy", func(d *linksvc.Deps) { d.Policy.AliasLength = 2 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := full
			tt.change(&d)
			if _, err := linksvc.New(d); err == nil {
				t.Fatal("New: nil error")
			}
		})
	}
	if _, err := linksvc.New(full); err != nil {
		t.Fatalf("New with every dependency: %v", err)
	}
}

func TestCreate(t *testing.T) {
	w := newWorld(t)
	s := w.replica(t)
	l := create(t, s, "u1", " HTTPS://Example.COM:443/a?b=1#c ", "")
	if !regexp.MustCompile(`^[0-9A-Za-z]{7}$`).MatchString(l.Alias) {
		t.Fatalf("generated alias %q, want 7 base62 characters", l.Alias)
	}
	if l.Target != "https://example.com/a?b=1#c" || l.OwnerID != "u1" || l.Redirects != 0 || l.ID == "" {
		t.Fatalf("created %+v", l)
	}
	got, err := w.store.LinkByID(context.Background(), l.ID)
	if err != nil || got != l {
		t.Fatalf("stored %+v, %v; want %+v", got, err, l)
	}
	custom := create(t, s, "u1", "https://example.com/x", "My_Link-1")
	if custom.Alias != "My_Link-1" {
		t.Fatalf("custom alias %q", custom.Alias)
	}
	_, err = s.Create(context.Background(), "u2", ports.NewLink{Target: "https://example.org", Alias: "My_Link-1"})
	wantFault(t, err, fault.Conflict, links.ReasonAliasTaken, "Create of a taken custom alias")
}

func TestCreateRefusesBadInput(t *testing.T) {
	w := newWorld(t)
	s := w.replica(t)
	now := w.clock.Now()
	tests := []struct {
		name   string
		n      ports.NewLink
		fields []string
	}{
		{"javascript", ports.NewLink{Target: "javascript:alert(1)"}, []string{"url"}},
		{"data", ports.NewLink{Target: "data:text/html,hi"}, []string{"url"}},
		{"relative", ports.NewLink{Target: "/relative"}, []string{"url"}},
		{"own host", ports.NewLink{Target: "https://sho.rt/abc"}, []string{"url"}},
		{"reserved alias", ports.NewLink{Target: "https://example.com", Alias: "Auth"}, []string{"alias"}},
		{"short alias", ports.NewLink{Target: "https://example.com", Alias: "ab"}, []string{"alias"}},
		{"both", ports.NewLink{Target: "ftp://example.com", Alias: "a/b"}, []string{"url", "alias"}},
		{"past expiry", ports.NewLink{Target: "https://example.com", ExpiresAt: now.Add(-time.Second)}, []string{"expires_at"}},
		{"negative budget", ports.NewLink{Target: "https://example.com", MaxRedirects: -1}, []string{"max_redirects"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Create(context.Background(), "u1", tt.n)
			fe, ok := fault.As(err)
			if !ok || fe.Code != fault.Invalid {
				t.Fatalf("Create: %v, want fault.Invalid", err)
			}
			var fields []string
			for _, f := range fe.Fields {
				fields = append(fields, f.Field)
			}
			if !slices.Equal(fields, tt.fields) {
				t.Fatalf("field errors on %q, want %q", fields, tt.fields)
			}
		})
	}
	if got, _ := s.List(context.Background(), "u1"); len(got) != 0 {
		t.Fatalf("refused creates stored %d links", len(got))
	}
}

// zeros is a random source of zero bytes: every draw is the same, so
// generated aliases and IDs collide on purpose.
type zeros struct{}

func (zeros) Read(b []byte) (int, error) { clear(b); return len(b), nil }

func TestCreateRedrawsATakenGeneratedAlias(t *testing.T) {
	w := newWorld(t)
	first := create(t, w.replicaWith(t, zeros{}, w.clock), "u1", "https://example.com/1", "")
	if first.Alias != "0000000" {
		t.Fatalf("alias from zero bytes %q", first.Alias)
	}
	// One draw of zeros (alias and ID taken), then real randomness.
	s := w.replicaWith(t, io.MultiReader(bytes.NewReader(make([]byte, 14+links.IDBytes)), rand.Reader), w.clock)
	second := create(t, s, "u1", "https://example.com/2", "")
	if second.Alias == first.Alias || second.ID == first.ID {
		t.Fatalf("second link %+v reuses the first's alias or ID", second)
	}
	_, err := w.replicaWith(t, zeros{}, w.clock).Create(context.Background(), "u1", ports.NewLink{Target: "https://example.com/3"})
	if fault.CodeOf(err) != fault.Conflict {
		t.Fatalf("Create when every draw collides: %v, want a Conflict", err)
	}
}

func TestUpdateAndDeleteCheckOwnership(t *testing.T) {
	w := newWorld(t)
	s := w.replica(t)
	l := create(t, s, "alice", "https://example.com/a", "alice-link")
	ctx := context.Background()
	n := ports.LinkPatch{Target: ptr("https://example.com/b")}

	_, _, err := s.Update(ctx, "bob", l.ID, n)
	wantFault(t, err, fault.Forbidden, links.ReasonNotOwner, "Update by another user")
	err = s.Delete(ctx, "bob", l.ID)
	wantFault(t, err, fault.Forbidden, links.ReasonNotOwner, "Delete by another user")
	_, _, err = s.Update(ctx, "bob", "nope", n)
	wantFault(t, err, fault.NotFound, links.ReasonNotFound, "Update of an unknown link")
	err = s.Delete(ctx, "alice", "nope")
	wantFault(t, err, fault.NotFound, links.ReasonNotFound, "Delete of an unknown link")
	if got := resolve(t, s, "alice-link"); got != "https://example.com/a" {
		t.Fatalf("after refused changes the link leads to %q", got)
	}

	w.clock.Advance(time.Minute)
	before, u, err := s.Update(ctx, "alice", l.ID, n)
	if err != nil {
		t.Fatal(err)
	}
	if u.Alias != "alice-link" || u.Target != "https://example.com/b" || !u.UpdatedAt.After(l.UpdatedAt) || u.CreatedAt != l.CreatedAt {
		t.Fatalf("updated %+v", u)
	}
	if u.Redirects != 1 {
		t.Fatalf("updated link shows %d redirects, want the 1 served", u.Redirects)
	}
	if before.Target != "https://example.com/a" || before.Redirects != 1 || before.UpdatedAt != l.UpdatedAt {
		t.Fatalf("the link before the update: %+v", before)
	}
	if got := resolve(t, s, "alice-link"); got != "https://example.com/b" {
		t.Fatalf("after Update the link leads to %q", got)
	}
	_, _, err = s.Update(ctx, "alice", l.ID, ports.LinkPatch{Target: ptr("javascript:x")})
	wantFault(t, err, fault.Invalid, "invalid.url", "Update to a refused target")

	if err := s.Delete(ctx, "alice", l.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.Resolve(ctx, "alice-link")
	wantFault(t, err, fault.NotFound, links.ReasonNotFound, "Resolve after Delete")
	err = s.Delete(ctx, "alice", l.ID)
	wantFault(t, err, fault.NotFound, links.ReasonNotFound, "Delete twice")
}

func TestUpdateRenames(t *testing.T) {
	w := newWorld(t)
	s := w.replica(t)
	ctx := context.Background()
	l := create(t, s, "u1", "https://example.com/a", "before")
	create(t, s, "u1", "https://example.com/other", "taken")
	resolve(t, s, "before") // cached now

	_, _, err := s.Update(ctx, "u1", l.ID, ports.LinkPatch{Target: ptr(l.Target), Alias: ptr("taken")})
	wantFault(t, err, fault.Conflict, links.ReasonAliasTaken, "rename to a taken alias")
	_, _, err = s.Update(ctx, "u1", l.ID, ports.LinkPatch{Target: ptr(l.Target), Alias: ptr("api")})
	wantFault(t, err, fault.Invalid, "invalid.alias", "rename to a reserved word")

	if _, _, err := s.Update(ctx, "u1", l.ID, ports.LinkPatch{Target: ptr(l.Target), Alias: ptr("after")}); err != nil {
		t.Fatal(err)
	}
	_, err = s.Resolve(ctx, "before")
	wantFault(t, err, fault.NotFound, links.ReasonNotFound, "Resolve of the old alias")
	if got := resolve(t, s, "after"); got != l.Target {
		t.Fatalf("new alias leads to %q", got)
	}
}

func TestListAndUserDeleted(t *testing.T) {
	w := newWorld(t)
	s := w.replica(t)
	ctx := context.Background()
	a := create(t, s, "u1", "https://example.com/1", "first")
	w.clock.Advance(time.Second)
	b := create(t, s, "u1", "https://example.com/2", "second")
	other := create(t, s, "u2", "https://example.com/3", "others")
	for range 3 {
		resolve(t, s, "first")
	}
	resolve(t, s, "second")

	list, err := s.List(ctx, "u1")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != b.ID || list[1].ID != a.ID {
		t.Fatalf("List %+v, want second then first", list)
	}
	if list[0].Redirects != 1 || list[1].Redirects != 3 {
		t.Fatalf("List counts %d and %d, want 1 and 3 (unflushed ones included)", list[0].Redirects, list[1].Redirects)
	}

	if err := s.UserDeleted(ctx, "u1"); err != nil {
		t.Fatal(err)
	}
	for _, alias := range []string{"first", "second"} {
		_, err := s.Resolve(ctx, alias)
		wantFault(t, err, fault.NotFound, links.ReasonNotFound, "Resolve of a deleted user's link")
	}
	if list, _ := s.List(ctx, "u1"); len(list) != 0 {
		t.Fatalf("List after UserDeleted: %d links", len(list))
	}
	if got := resolve(t, s, "others"); got != other.Target {
		t.Fatalf("another user's link leads to %q", got)
	}
	if err := s.UserDeleted(ctx, "nobody"); err != nil {
		t.Fatalf("UserDeleted of a user without links: %v", err)
	}
}
