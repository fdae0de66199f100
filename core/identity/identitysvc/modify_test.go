package identitysvc_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// TestConcurrentEditsAllLand: 16 address additions, then 16 edits of
// different profile fields with a block among them, all at once on one
// user: every change is kept.
func TestConcurrentEditsAllLand(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	u := f.register(t, ports.Registration{Login: "olga", Password: pw})

	errs := race(racers, func(i int) error {
		_, err := f.svc.AddAddress(ctx, u.ID, fmt.Sprintf("wallet %d", i), fmt.Sprintf("0xaddr%02d", i))
		return err
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("AddAddress %d: %v", i, err)
		}
	}
	got, err := f.users.ByID(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Addresses) != racers {
		t.Fatalf("%d addresses stored after %d concurrent additions, want all", len(got.Addresses), racers)
	}

	edits := []func(s string) ports.ProfileUpdate{
		func(s string) ports.ProfileUpdate { return ports.ProfileUpdate{FirstName: &s} },
		func(s string) ports.ProfileUpdate { return ports.ProfileUpdate{LastName: &s} },
		func(s string) ports.ProfileUpdate { return ports.ProfileUpdate{Patronymic: &s} },
		func(s string) ports.ProfileUpdate { return ports.ProfileUpdate{Description: &s} },
	}
	errs = race(len(edits)+1, func(i int) error {
		if i == len(edits) {
			_, err := f.svc.Block(ctx, u.ID)
			return err
		}
		_, err := f.svc.UpdateProfile(ctx, u.ID, edits[i](fmt.Sprintf("value %d", i)))
		return err
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("edit %d: %v", i, err)
		}
	}
	got, err = f.users.ByID(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := [...]string{"value 0", "value 1", "value 2", "value 3"}
	if have := [...]string{got.FirstName, got.LastName, got.Patronymic, got.Description}; have != want || got.Active() {
		t.Fatalf("after concurrent edits: fields %q, active %v; want %q, blocked", have, got.Active(), want)
	}
}

// interfering is a store whose first Update is preceded by another
// writer's change (LastName set) of the same user, so it is stale.
type interfering struct {
	ports.UserStore
	once    sync.Once
	updates atomic.Int32
}

func (s *interfering) Update(ctx context.Context, u identity.User) error {
	s.updates.Add(1)
	var err error
	s.once.Do(func() {
		other := u
		other.FirstName, other.LastName = "", "Other" // only the other writer's change
		err = s.UserStore.Update(ctx, other)
	})
	if err != nil {
		return err
	}
	return s.UserStore.Update(ctx, u)
}

// TestModifyRedoesChangeOnStaleUser: a change refused as stale is applied
// again to a fresh read, which keeps the other writer's change.
func TestModifyRedoesChangeOnStaleUser(t *testing.T) {
	store := &interfering{}
	f := newFixture(t, func(s ports.UserStore) ports.UserStore { store.UserStore = s; return store })
	ctx := context.Background()
	u := f.register(t, ports.Registration{Login: "pavel", Password: pw})

	first := "Pavel"
	got, err := f.svc.UpdateProfile(ctx, u.ID, ports.ProfileUpdate{FirstName: &first})
	if err != nil {
		t.Fatalf("UpdateProfile: %v", err)
	}
	stored, err := f.users.ByID(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.FirstName != "Pavel" || stored.LastName != "Other" || got.Version != stored.Version {
		t.Fatalf("stored %q %q at Version %d, returned Version %d; want Pavel Other, the same Version",
			stored.FirstName, stored.LastName, stored.Version, got.Version)
	}
	if n := store.updates.Load(); n != 2 {
		t.Fatalf("%d Updates, want 2 (stale, then redone)", n)
	}
}

// alwaysStale is a store that refuses every Update as stale.
type alwaysStale struct {
	ports.UserStore
	updates atomic.Int32
}

func (s *alwaysStale) Update(context.Context, identity.User) error {
	s.updates.Add(1)
	return identity.ErrStaleUser()
}

// TestModifyGivesUpOnStaleUser: modify retries a bounded number of times,
// then returns the stale fault.
func TestModifyGivesUpOnStaleUser(t *testing.T) {
	store := &alwaysStale{}
	f := newFixture(t, func(s ports.UserStore) ports.UserStore { store.UserStore = s; return store })
	ctx := context.Background()
	u, err := f.users.Create(ctx, identity.User{ID: "u1", Login: "quinn", Status: identity.StatusActive})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Grant(ctx, u.ID, "admin")
	wantFault(t, err, fault.Conflict, "identity.stale_user")
	if n := store.updates.Load(); n < 2 || n > 10 {
		t.Fatalf("%d Updates before giving up, want a few retries", n)
	}
}
