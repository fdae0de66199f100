package porttest

import (
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// opaqueFamily is an opaque session of user, started created minutes after
// base and last used at lastUsed.
func opaqueFamily(id, user string, created, lastUsed int) sessions.Family {
	f := family(id, user, created)
	f.Kind, f.TokenHash, f.LastUsedAt = sessions.KindOpaque, "hash-"+id, at(lastUsed)
	return f
}

func familyOpaqueRoundTrip(t *testing.T, s ports.SessionStore) {
	f := opaqueFamily("o1", "u1", 1, 2)
	must(t, s.CreateFamily(t.Context(), f), "CreateFamily opaque")
	must(t, s.AddRefresh(t.Context(), sessions.OpaqueRecord(f)), "AddRefresh opaque record")
	must(t, s.CreateFamily(t.Context(), family("r1", "u1", 3)), "CreateFamily refresh")
	got, err := s.Family(t.Context(), "o1")
	must(t, err, "Family")
	wantEqual(t, got, f, normFamily, "opaque Family")
	rec, err := s.Refresh(t.Context(), f.TokenHash)
	must(t, err, "Refresh by the opaque token hash")
	wantEqual(t, rec, sessions.OpaqueRecord(f), normRefresh, "opaque token record")
	list, err := s.Families(t.Context(), "u1")
	must(t, err, "Families")
	if len(list) != 2 {
		t.Fatalf("Families: %d, want 2", len(list))
	}
	wantEqual(t, list[0], family("r1", "u1", 3), normFamily, "listed refresh family")
	wantEqual(t, list[1], f, normFamily, "listed opaque family")
}

func familyTouch(t *testing.T, s ports.SessionStore) {
	f := opaqueFamily("o1", "u1", 1, 1)
	must(t, s.CreateFamily(t.Context(), f), "CreateFamily")
	must(t, s.CreateFamily(t.Context(), opaqueFamily("o2", "u1", 1, 1)), "CreateFamily other")
	steps := []struct {
		name string
		at   int
		want int // LastUsedAt after the touch
	}{
		{"a later use moves it", 10, 10},
		{"an earlier use leaves it", 5, 10},
		{"an equal use leaves it", 10, 10},
		{"a much later use moves it", 600, 600},
	}
	for _, st := range steps {
		got, err := s.TouchFamily(t.Context(), "o1", at(st.at))
		must(t, err, "TouchFamily: "+st.name)
		f.LastUsedAt = at(st.want)
		wantEqual(t, got, f, normFamily, "TouchFamily result: "+st.name)
		stored, err := s.Family(t.Context(), "o1")
		must(t, err, "Family")
		wantEqual(t, stored, f, normFamily, "stored after TouchFamily: "+st.name)
	}
	other, err := s.Family(t.Context(), "o2")
	must(t, err, "Family o2")
	wantEqual(t, other, opaqueFamily("o2", "u1", 1, 1), normFamily, "a family not touched")

	// A revoked family is touched but stays revoked, and says so.
	must(t, s.RevokeFamily(t.Context(), "o1", at(700), "logout"), "RevokeFamily")
	got, err := s.TouchFamily(t.Context(), "o1", at(800))
	must(t, err, "TouchFamily of a revoked family")
	f.LastUsedAt, f.RevokedAt, f.Reason = at(800), at(700), "logout"
	wantEqual(t, got, f, normFamily, "TouchFamily of a revoked family")

	// A refresh family has no use recorded until touched.
	must(t, s.CreateFamily(t.Context(), family("r1", "u1", 1)), "CreateFamily refresh")
	got, err = s.TouchFamily(t.Context(), "r1", at(3))
	must(t, err, "TouchFamily of a refresh family")
	r := family("r1", "u1", 1)
	r.LastUsedAt = at(3)
	wantEqual(t, got, r, normFamily, "TouchFamily of a refresh family")

	_, err = s.TouchFamily(t.Context(), "nope", at(9))
	wantFault(t, err, fault.NotFound, sessions.ReasonFamilyNotFound, "TouchFamily of an unknown ID")
}
