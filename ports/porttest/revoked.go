package porttest

import (
	"slices"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// familyRevokedSince checks the revocation feed: which families, in which
// order, how many, and that it pages.
func familyRevokedSince(t *testing.T, s ports.SessionStore) {
	ctx := t.Context()
	early := family("r0", "u1", 1)
	early.RevokedAt, early.Reason = at(3), "admin"
	opaque := opaqueFamily("o1", "u2", 2, 2)
	for _, f := range []sessions.Family{early, family("live", "u1", 1), family("r1", "u1", 2),
		family("r3", "u2", 3), family("r2", "u2", 4), opaque} {
		must(t, s.CreateFamily(ctx, f), "CreateFamily "+f.ID)
	}
	must(t, s.RevokeFamily(ctx, "r1", at(5), "logout"), "RevokeFamily r1")
	must(t, s.RevokeFamily(ctx, "o1", at(9), "logout"), "RevokeFamily o1")
	ids, err := s.RevokeUserFamilies(ctx, "u2", at(7), "password")
	must(t, err, "RevokeUserFamilies")
	sameSet(t, ids, []string{"r2", "r3"}, "revoked IDs")
	must(t, s.RevokeFamily(ctx, "r1", at(8), "reuse"), "RevokeFamily r1 again")

	all, err := s.RevokedSince(ctx, time.Time{}, 100)
	must(t, err, "RevokedSince the zero time")
	if got, want := familyIDs(all), []string{"r0", "r1", "r2", "r3", "o1"}; !slices.Equal(got, want) {
		t.Fatalf("RevokedSince the zero time: %q, want %q", got, want)
	}
	r1 := family("r1", "u1", 2)
	r1.RevokedAt, r1.Reason = at(5), "logout"
	opaque.RevokedAt, opaque.Reason = at(9), "logout"
	wantEqual(t, all[0], early, normFamily, "family created revoked")
	wantEqual(t, all[1], r1, normFamily, "family revoked twice")
	wantEqual(t, all[4], opaque, normFamily, "revoked opaque family")

	pages := []struct {
		name  string
		since time.Time
		limit int
		want  []string
	}{
		{"since is inclusive", at(5), 100, []string{"r1", "r2", "r3", "o1"}},
		{"a millisecond later", at(5).Add(time.Millisecond), 100, []string{"r2", "r3", "o1"}},
		{"under a millisecond later", at(5).Add(time.Microsecond), 100, []string{"r2", "r3", "o1"}},
		{"limit keeps the oldest", time.Time{}, 2, []string{"r0", "r1"}},
		{"ties come by ID", at(7), 1, []string{"r2"}},
		{"the next page repeats the last instant", at(7), 2, []string{"r2", "r3"}},
		{"nothing after the last", at(9).Add(time.Millisecond), 100, []string{}},
	}
	for _, p := range pages {
		got, err := s.RevokedSince(ctx, p.since, p.limit)
		must(t, err, "RevokedSince: "+p.name)
		if ids := familyIDs(got); !slices.Equal(ids, p.want) {
			t.Fatalf("RevokedSince %s: %q, want %q", p.name, ids, p.want)
		}
	}

	// A revocation after a read is in the next read of the same window.
	must(t, s.RevokeFamily(ctx, "live", at(6), "admin"), "RevokeFamily live")
	got, err := s.RevokedSince(ctx, at(5), 100)
	must(t, err, "RevokedSince after a new revocation")
	if ids, want := familyIDs(got), []string{"r1", "live", "r2", "r3", "o1"}; !slices.Equal(ids, want) {
		t.Fatalf("RevokedSince after a new revocation: %q, want %q", ids, want)
	}

	for _, limit := range []int{0, -1} {
		_, err := s.RevokedSince(ctx, time.Time{}, limit)
		wantFault(t, err, fault.Invalid, sessions.ReasonLimitInvalid, "RevokedSince with a limit under 1")
	}

	must(t, s.DeleteUser(ctx, "u2"), "DeleteUser")
	left, err := s.RevokedSince(ctx, time.Time{}, 100)
	must(t, err, "RevokedSince after DeleteUser")
	if got, want := familyIDs(left), []string{"r0", "r1", "live"}; !slices.Equal(got, want) {
		t.Fatalf("RevokedSince after DeleteUser: %q, want %q", got, want)
	}
}
