package porttest

import (
	"fmt"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// staleReason is the fault reason of an Update carrying a stale Version.
const staleReason = identity.ReasonStaleUser

func userVersionBumps(t *testing.T, s ports.UserStore) {
	u := create(t, s, fullUser(1))
	if u.Version != 1 {
		t.Fatalf("Create result: Version %d, want 1", u.Version)
	}
	for want := int64(2); want <= 4; want++ {
		u.Description = fmt.Sprintf("edit %d", want)
		must(t, s.Update(t.Context(), u), fmt.Sprintf("Update at Version %d", u.Version))
		got, err := s.ByID(t.Context(), u.ID)
		must(t, err, "ByID")
		if got.Version != want || got.Description != u.Description {
			t.Fatalf("after Update: Version %d, Description %q; want %d, %q", got.Version, got.Description, want, u.Description)
		}
		u = got
	}

	other := create(t, s, fullUser(2))
	taken := u
	taken.Email = other.Email
	wantFault(t, s.Update(t.Context(), taken), fault.Conflict, identity.ReasonEmailTaken, "Update to a taken email")
	got, err := s.ByID(t.Context(), u.ID)
	must(t, err, "ByID")
	wantUser(t, got, u, "user after a refused Update (Version unchanged)")
}

func userStaleRefused(t *testing.T, s ports.UserStore) {
	u := create(t, s, fullUser(1))
	next := u
	next.FirstName = "first"
	must(t, s.Update(t.Context(), next), "Update")
	stored := next
	stored.Version++

	tests := []struct {
		name    string
		version int64
	}{
		{"the version before the last Update", u.Version},
		{"zero", 0},
		{"a version not reached yet", stored.Version + 1},
	}
	for _, tt := range tests {
		stale := stored
		stale.Version = tt.version
		stale.FirstName = "lost"
		stale.Email = "moved@example.com"
		wantFault(t, s.Update(t.Context(), stale), fault.Conflict, staleReason, "Update carrying "+tt.name)
		got, err := s.ByID(t.Context(), u.ID)
		must(t, err, "ByID")
		wantUser(t, got, stored, "user after an Update carrying "+tt.name)
	}
	free := fullUser(2)
	free.Email = "moved@example.com"
	create(t, s, free) // refused Updates leave no handle claimed
}

func userRaceVersion(t *testing.T, s ports.UserStore) {
	u := create(t, s, fullUser(1))
	errs := race(racers, func(i int) error {
		next := u
		next.FirstName = fmt.Sprintf("racer %d", i)
		next.Email = fmt.Sprintf("racer%d@example.com", i)
		return s.Update(t.Context(), next)
	})
	w := oneWinner(t, errs, fault.Conflict, staleReason)

	want := u
	want.FirstName = fmt.Sprintf("racer %d", w)
	want.Email = fmt.Sprintf("racer%d@example.com", w)
	want.Version = u.Version + 1
	got, err := s.ByID(t.Context(), u.ID)
	must(t, err, "ByID")
	wantUser(t, got, want, "user after the race")
	for i := range racers {
		email := fmt.Sprintf("racer%d@example.com", i)
		if i == w {
			c := identity.User{ID: "taker", Email: email}
			_, err := s.Create(t.Context(), c)
			wantFault(t, err, fault.Conflict, identity.ReasonEmailTaken, "Create with the winner's email")
			continue
		}
		create(t, s, identity.User{ID: fmt.Sprintf("loser-%d", i), Email: email}) // a loser's email stays free
	}
}
