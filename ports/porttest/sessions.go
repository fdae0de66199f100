package porttest

import (
	"fmt"
	"reflect"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// RunSessionStore checks the ports.SessionStore contract. newStore must
// return an empty store of its own on every call.
func RunSessionStore(t *testing.T, newStore func(tb testing.TB) ports.SessionStore) {
	tests := []struct {
		name string
		run  func(t *testing.T, s ports.SessionStore)
	}{
		{"CreateFamily round-trips and refuses a taken ID", familyCreate},
		{"Family of an unknown ID is NotFound", familyNotFound},
		{"RevokeFamily keeps the first revocation", familyRevoke},
		{"RevokeUserFamilies revokes the live families of one user", familyRevokeUser},
		{"Families lists newest first, revoked included", familyList},
		{"Opaque families keep Kind, TokenHash and LastUsedAt", familyOpaqueRoundTrip},
		{"TouchFamily moves LastUsedAt forward only", familyTouch},
		{"RevokedSince lists revocations oldest first and pages", familyRevokedSince},
		{"AddRefresh round-trips and refuses a taken hash", refreshAdd},
		{"ConsumeRefresh succeeds once", refreshConsume},
		{"Concurrent ConsumeRefresh: exactly one wins", refreshRace},
		{"RotateRefresh consumes, adds the successor, touches the device", refreshRotate},
		{"RotateRefresh touches the device as Device.Seen does", refreshRotateDevice},
		{"Concurrent RotateRefresh: exactly one wins, one successor", refreshRotateRace},
		{"SaveDevice inserts and replaces", deviceSave},
		{"Devices lists most recently seen first", deviceList},
		{"DeleteUser removes everything of one user only", sessionDeleteUser},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newStore(t))
		})
	}
}

func family(id, user string, created int) sessions.Family {
	return sessions.Family{
		ID: id, UserID: user, DeviceID: "dev-" + user, Audience: "felmee",
		CreatedAt: at(created), ExpiresAt: at(created + 60*24*30),
	}
}

func refresh(hash, familyID, user string, seq int) sessions.RefreshToken {
	return sessions.RefreshToken{
		Hash: hash, FamilyID: familyID, UserID: user, Seq: seq,
		IssuedAt: at(seq), ExpiresAt: at(seq + 60*24*30),
	}
}

func device(id, user string, seen int) sessions.Device {
	return sessions.Device{
		ID: id, UserID: user, Name: "Pixel " + id, UserAgent: "Mozilla/5.0 (" + id + ")",
		IP: "2001:db8::1", CreatedAt: at(0), LastSeen: at(seen),
	}
}

// wantEqual fails tb unless got equals want once their times are normalised.
func wantEqual[T any](tb testing.TB, got, want T, norm func(T) T, what string) {
	tb.Helper()
	if g, w := norm(got), norm(want); !reflect.DeepEqual(g, w) {
		tb.Fatalf("%s:\n got %+v\nwant %+v", what, g, w)
	}
}

func normFamily(f sessions.Family) sessions.Family {
	f.CreatedAt, f.ExpiresAt, f.RevokedAt = ms(f.CreatedAt), ms(f.ExpiresAt), ms(f.RevokedAt)
	return f
}

func normRefresh(r sessions.RefreshToken) sessions.RefreshToken {
	r.IssuedAt, r.ExpiresAt = ms(r.IssuedAt), ms(r.ExpiresAt)
	return r
}

func normDevice(d sessions.Device) sessions.Device {
	d.CreatedAt, d.LastSeen = ms(d.CreatedAt), ms(d.LastSeen)
	return d
}

func familyIDs(fs []sessions.Family) []string {
	ids := []string{}
	for _, f := range fs {
		ids = append(ids, f.ID)
	}
	return ids
}

func familyCreate(t *testing.T, s ports.SessionStore) {
	f := family("f1", "u1", 1)
	must(t, s.CreateFamily(t.Context(), f), "CreateFamily")
	got, err := s.Family(t.Context(), "f1")
	must(t, err, "Family")
	wantEqual(t, got, f, normFamily, "Family")
	if got.Revoked() {
		t.Fatalf("a new family is revoked")
	}
	revoked := family("f2", "u1", 2)
	revoked.RevokedAt, revoked.Reason = at(3), "admin"
	must(t, s.CreateFamily(t.Context(), revoked), "CreateFamily revoked")
	got, err = s.Family(t.Context(), "f2")
	must(t, err, "Family")
	wantEqual(t, got, revoked, normFamily, "Family created revoked")

	other := family("f1", "u2", 9)
	wantFault(t, s.CreateFamily(t.Context(), other), fault.Conflict, sessions.ReasonFamilyExists, "CreateFamily with a taken ID")
	got, err = s.Family(t.Context(), "f1")
	must(t, err, "Family")
	wantEqual(t, got, f, normFamily, "Family after a refused CreateFamily")
}

func familyNotFound(t *testing.T, s ports.SessionStore) {
	must(t, s.CreateFamily(t.Context(), family("f1", "u1", 1)), "CreateFamily")
	_, err := s.Family(t.Context(), "nope")
	wantFault(t, err, fault.NotFound, sessions.ReasonFamilyNotFound, "Family")
	err = s.RevokeFamily(t.Context(), "nope", at(2), "logout")
	wantFault(t, err, fault.NotFound, sessions.ReasonFamilyNotFound, "RevokeFamily")
}

func familyRevoke(t *testing.T, s ports.SessionStore) {
	f := family("f1", "u1", 1)
	must(t, s.CreateFamily(t.Context(), f), "CreateFamily")
	must(t, s.CreateFamily(t.Context(), family("f2", "u1", 2)), "CreateFamily")
	must(t, s.RevokeFamily(t.Context(), "f1", at(5), "logout"), "RevokeFamily")
	must(t, s.RevokeFamily(t.Context(), "f1", at(9), "reuse"), "RevokeFamily again")
	got, err := s.Family(t.Context(), "f1")
	must(t, err, "Family")
	f.RevokedAt, f.Reason = at(5), "logout"
	wantEqual(t, got, f, normFamily, "Family revoked twice")
	if !got.Revoked() {
		t.Fatalf("revoked family reports live")
	}
	other, err := s.Family(t.Context(), "f2")
	must(t, err, "Family f2")
	if other.Revoked() {
		t.Fatalf("RevokeFamily revoked another family")
	}
}

func familyRevokeUser(t *testing.T, s ports.SessionStore) {
	old := family("f2", "u1", 2)
	old.RevokedAt, old.Reason = at(3), "logout"
	for _, f := range []sessions.Family{family("f1", "u1", 1), old, family("f3", "u1", 4), family("f4", "u2", 5)} {
		must(t, s.CreateFamily(t.Context(), f), "CreateFamily "+f.ID)
	}
	ids, err := s.RevokeUserFamilies(t.Context(), "u1", at(10), "password")
	must(t, err, "RevokeUserFamilies")
	sameSet(t, ids, []string{"f1", "f3"}, "revoked IDs")
	for id, want := range map[string]struct {
		at     int
		reason string
	}{"f1": {10, "password"}, "f2": {3, "logout"}, "f3": {10, "password"}} {
		got, err := s.Family(t.Context(), id)
		must(t, err, "Family "+id)
		if !ms(got.RevokedAt).Equal(at(want.at)) || got.Reason != want.reason {
			t.Fatalf("family %s: revoked at %v for %q, want %v for %q", id, got.RevokedAt, got.Reason, at(want.at), want.reason)
		}
	}
	f4, err := s.Family(t.Context(), "f4")
	must(t, err, "Family f4")
	if f4.Revoked() {
		t.Fatalf("RevokeUserFamilies revoked another user's family")
	}
	ids, err = s.RevokeUserFamilies(t.Context(), "u1", at(11), "admin")
	must(t, err, "RevokeUserFamilies again")
	sameSet(t, ids, nil, "IDs revoked by a second call")
	ids, err = s.RevokeUserFamilies(t.Context(), "nobody", at(11), "admin")
	must(t, err, "RevokeUserFamilies of an unknown user")
	sameSet(t, ids, nil, "IDs revoked for an unknown user")
}

func familyList(t *testing.T, s ports.SessionStore) {
	for i, id := range []string{"b", "d", "a", "c"} {
		f := family(id, "u1", []int{2, 4, 1, 3}[i])
		must(t, s.CreateFamily(t.Context(), f), "CreateFamily")
	}
	must(t, s.CreateFamily(t.Context(), family("x", "u2", 9)), "CreateFamily")
	must(t, s.RevokeFamily(t.Context(), "c", at(7), "logout"), "RevokeFamily")
	got, err := s.Families(t.Context(), "u1")
	must(t, err, "Families")
	if ids := familyIDs(got); !reflect.DeepEqual(ids, []string{"d", "c", "b", "a"}) {
		t.Fatalf("Families order %q, want [d c b a]", ids)
	}
	want := family("c", "u1", 3)
	want.RevokedAt, want.Reason = at(7), "logout"
	wantEqual(t, got[1], want, normFamily, "listed family")
	got, err = s.Families(t.Context(), "nobody")
	must(t, err, "Families of an unknown user")
	if len(got) != 0 {
		t.Fatalf("Families of an unknown user: %d, want 0", len(got))
	}
}

func refreshAdd(t *testing.T, s ports.SessionStore) {
	r := refresh("h1", "f1", "u1", 1)
	must(t, s.AddRefresh(t.Context(), r), "AddRefresh")
	got, err := s.Refresh(t.Context(), "h1")
	must(t, err, "Refresh")
	wantEqual(t, got, r, normRefresh, "Refresh")
	err = s.AddRefresh(t.Context(), refresh("h1", "f2", "u2", 5))
	wantFault(t, err, fault.Conflict, sessions.ReasonRefreshExists, "AddRefresh with a taken hash")
	got, err = s.Refresh(t.Context(), "h1")
	must(t, err, "Refresh")
	wantEqual(t, got, r, normRefresh, "Refresh after a refused AddRefresh")
	_, err = s.Refresh(t.Context(), "nope")
	wantFault(t, err, fault.NotFound, sessions.ReasonRefreshNotFound, "Refresh of an unknown hash")
}

func refreshConsume(t *testing.T, s ports.SessionStore) {
	r := refresh("h1", "f1", "u1", 1)
	must(t, s.AddRefresh(t.Context(), r), "AddRefresh")
	must(t, s.AddRefresh(t.Context(), refresh("h2", "f1", "u1", 2)), "AddRefresh")
	must(t, s.ConsumeRefresh(t.Context(), "h1", at(5)), "ConsumeRefresh")
	err := s.ConsumeRefresh(t.Context(), "h1", at(6))
	wantFault(t, err, fault.Conflict, sessions.ReasonRefreshReused, "second ConsumeRefresh")
	err = s.ConsumeRefresh(t.Context(), "nope", at(6))
	wantFault(t, err, fault.NotFound, sessions.ReasonRefreshNotFound, "ConsumeRefresh of an unknown hash")
	got, err := s.Refresh(t.Context(), "h1")
	must(t, err, "Refresh of a consumed token")
	wantEqual(t, got, r, normRefresh, "Refresh of a consumed token")
	must(t, s.ConsumeRefresh(t.Context(), "h2", at(7)), "ConsumeRefresh of another token")
}

func refreshRace(t *testing.T, s ports.SessionStore) {
	for i := range 3 {
		hash := fmt.Sprintf("hash-%d", i)
		must(t, s.AddRefresh(t.Context(), refresh(hash, "f1", "u1", i+1)), "AddRefresh")
		errs := race(racers, func(int) error { return s.ConsumeRefresh(t.Context(), hash, at(9)) })
		oneWinner(t, errs, fault.Conflict, sessions.ReasonRefreshReused)
	}
}
