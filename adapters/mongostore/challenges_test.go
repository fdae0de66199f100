package mongostore_test

import (
	"fmt"
	"testing"
	"time"

	"gatehouse/adapters/mongostore"
	"gatehouse/core/fault"
	"gatehouse/core/identity"
)

// t0 is a fixed instant at millisecond precision.
var t0 = time.Date(2025, time.March, 14, 9, 26, 53, 589_000_000, time.UTC)

func challenge(id, userID string, p identity.Purpose, created time.Time) identity.Challenge {
	return identity.Challenge{
		ID: id, Purpose: p, UserID: userID, Target: userID + "@example.com",
		CreatedAt: created, ExpiresAt: created.Add(10 * time.Minute), MaxAttempts: 5,
	}
}

func mustAdd(tb testing.TB, s *mongostore.ChallengeStore, ch identity.Challenge) {
	tb.Helper()
	if err := s.AddChallenge(tb.Context(), ch); err != nil {
		tb.Fatalf("AddChallenge %s: %v", ch.ID, err)
	}
}

func TestChallengeLifecycle(t *testing.T) {
	c, _ := newClient(t)
	s := mongostore.NewChallengeStore(c)
	want := challenge("h1", "u", identity.PurposePasswordReset, t0)
	mustAdd(t, s, want)
	if err := s.AddChallenge(t.Context(), want); fault.ReasonOf(err) != "identity.challenge_exists" {
		t.Fatalf("second AddChallenge: %v, want challenge_exists", err)
	}
	got, err := s.Challenge(t.Context(), "h1")
	if err != nil || got != want {
		t.Fatalf("Challenge = %+v, %v; want %+v", got, err, want)
	}
	if err := s.ConsumeChallenge(t.Context(), "h1"); err != nil {
		t.Fatalf("ConsumeChallenge: %v", err)
	}
	steps := []struct {
		name   string
		err    error
		reason string
	}{
		{"Challenge after use", second(s.Challenge(t.Context(), "h1")), "identity.challenge_not_found"},
		{"ConsumeChallenge again", s.ConsumeChallenge(t.Context(), "h1"), "identity.challenge_used"},
		{"ConsumeChallenge of unknown", s.ConsumeChallenge(t.Context(), "nope"), "identity.challenge_not_found"},
		{"Challenge of unknown", second(s.Challenge(t.Context(), "nope")), "identity.challenge_not_found"},
		{"AddChallenge of a used ID", s.AddChallenge(t.Context(), want), "identity.challenge_exists"},
	}
	for _, st := range steps {
		if fault.ReasonOf(st.err) != st.reason {
			t.Errorf("%s: %v, want %s", st.name, st.err, st.reason)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func TestRaceConsumeChallenge(t *testing.T) {
	c, _ := newClient(t)
	s := mongostore.NewChallengeStore(c)
	mustAdd(t, s, challenge("h", "u", identity.PurposePasswordReset, t0))
	errs := race(func(int) error { return s.ConsumeChallenge(t.Context(), "h") })
	winners := 0
	for i, err := range errs {
		switch {
		case err == nil:
			winners++
		case fault.ReasonOf(err) != "identity.challenge_used":
			t.Fatalf("ConsumeChallenge %d: %v, want nil or challenge_used", i, err)
		}
	}
	if winners != 1 {
		t.Fatalf("%d ConsumeChallenge calls succeeded, want 1", winners)
	}
}

func TestDeleteChallenges(t *testing.T) {
	c, _ := newClient(t)
	s := mongostore.NewChallengeStore(c)
	reset, confirm := identity.PurposePasswordReset, identity.PurposeEmailConfirm
	for _, ch := range []identity.Challenge{
		challenge("a1", "a", reset, t0),
		challenge("a2", "a", reset, t0),
		challenge("a3", "a", reset, t0),
		challenge("a4", "a", confirm, t0),
		challenge("b1", "b", reset, t0),
	} {
		mustAdd(t, s, ch)
	}
	if err := s.ConsumeChallenge(t.Context(), "a3"); err != nil {
		t.Fatalf("ConsumeChallenge: %v", err)
	}
	n, err := s.DeleteChallenges(t.Context(), "a", reset)
	if err != nil || n != 2 {
		t.Fatalf("DeleteChallenges = %d, %v; want the 2 unused", n, err)
	}
	for id, reason := range map[string]string{"a1": "identity.challenge_not_found", "a3": "identity.challenge_not_found", "a4": "", "b1": ""} {
		if _, err := s.Challenge(t.Context(), id); fault.ReasonOf(err) != reason {
			t.Errorf("Challenge %s: %v, want reason %q", id, err, reason)
		}
	}
	if err := s.ConsumeChallenge(t.Context(), "a1"); fault.ReasonOf(err) != "identity.challenge_not_found" {
		t.Fatalf("ConsumeChallenge of a deleted one: %v, want challenge_not_found", err)
	}
	// The deleted used one's ID is free again, and fresh.
	mustAdd(t, s, challenge("a3", "a", reset, t0))
	if err := s.ConsumeChallenge(t.Context(), "a3"); err != nil {
		t.Fatalf("ConsumeChallenge of a re-added ID: %v", err)
	}
}

// AddChallenge prunes challenges long expired, used or not, and keeps
// those that expired lately or never expire.
func TestAddChallengePrunesLongExpired(t *testing.T) {
	c, _ := newClient(t)
	s := mongostore.NewChallengeStore(c)
	old := t0.Add(-48 * time.Hour)
	never := challenge("never", "u", identity.PurposeEmailLogin, old)
	never.ExpiresAt = time.Time{}
	for _, ch := range []identity.Challenge{
		challenge("old", "u", identity.PurposeEmailLogin, old),
		challenge("oldused", "u", identity.PurposePhoneLogin, old),
		never,
	} {
		mustAdd(t, s, ch)
	}
	if err := s.ConsumeChallenge(t.Context(), "oldused"); err != nil {
		t.Fatalf("ConsumeChallenge: %v", err)
	}
	// Expired 23h before a new challenge: within the grace.
	mustAdd(t, s, challenge("grace", "u", identity.PurposeEmailBind, old.Add(10*time.Minute+23*time.Hour)))
	if _, err := s.Challenge(t.Context(), "old"); err != nil {
		t.Fatalf("Challenge expired 23h before a new one: %v, want it kept", err)
	}
	mustAdd(t, s, challenge("lately", "u", identity.PurposeEmailBind, t0.Add(-time.Hour)))
	mustAdd(t, s, challenge("new", "u", identity.PurposeEmailConfirm, t0))
	for id, reason := range map[string]string{"old": "identity.challenge_not_found", "lately": "", "never": "", "new": ""} {
		if _, err := s.Challenge(t.Context(), id); fault.ReasonOf(err) != reason {
			t.Errorf("Challenge %s: %v, want reason %q", id, err, reason)
		}
	}
	// The pruned used one left no use behind: its ID is fresh again.
	mustAdd(t, s, challenge("oldused", "u", identity.PurposePhoneLogin, t0))
	if err := s.ConsumeChallenge(t.Context(), "oldused"); err != nil {
		t.Fatalf("ConsumeChallenge of a re-added pruned ID: %v", err)
	}
}

// A use left without its challenge (a deletion cut short) does not spend a
// new challenge of that ID.
func TestLeftoverChallengeUse(t *testing.T) {
	c, raw := newClient(t)
	s := mongostore.NewChallengeStore(c)
	if _, err := raw.Collection("challenge_uses").InsertOne(t.Context(), map[string]any{"_id": "h"}); err != nil {
		t.Fatalf("plant use: %v", err)
	}
	mustAdd(t, s, challenge("h", "u", identity.PurposePasswordReset, t0))
	if _, err := s.Challenge(t.Context(), "h"); err != nil {
		t.Fatalf("Challenge: %v", err)
	}
	if err := s.ConsumeChallenge(t.Context(), "h"); err != nil {
		t.Fatalf("ConsumeChallenge: %v", err)
	}
}

func TestRaceConsumeChallengesOfManyIDs(t *testing.T) {
	c, _ := newClient(t)
	s := mongostore.NewChallengeStore(c)
	for i := range racers {
		mustAdd(t, s, challenge(fmt.Sprint(i), "u", identity.PurposeEmailLogin, t0))
	}
	for i, err := range race(func(i int) error { return s.ConsumeChallenge(t.Context(), fmt.Sprint(i)) }) {
		if err != nil {
			t.Fatalf("ConsumeChallenge %d: %v", i, err)
		}
	}
}

func TestChallengeGuards(t *testing.T) {
	c, _ := newClient(t)
	s := mongostore.NewChallengeStore(c)
	if err := s.AddChallenge(t.Context(), challenge("", "u", identity.PurposeEmailLogin, t0)); fault.CodeOf(err) != fault.Invalid {
		t.Fatalf("AddChallenge without an ID: %v, want Invalid", err)
	}
	mustAdd(t, s, challenge("anon", "", identity.PurposePhoneLogin, t0))
	if n, err := s.DeleteChallenges(t.Context(), "", identity.PurposePhoneLogin); err != nil || n != 0 {
		t.Fatalf("DeleteChallenges of no user = %d, %v; want 0, nil", n, err)
	}
	if _, err := s.Challenge(t.Context(), "anon"); err != nil {
		t.Fatalf("Challenge naming only a target after DeleteChallenges of no user: %v", err)
	}
}
