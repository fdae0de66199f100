package porttest

import (
	"fmt"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// RunChallengeStore checks the ports.ChallengeStore contract. newStore must
// return an empty store of its own on every call. Expiry is the caller's
// rule (identity.Challenge.Check), so the suite never waits for time.
func RunChallengeStore(t *testing.T, newStore func(tb testing.TB) ports.ChallengeStore) {
	tests := []struct {
		name string
		run  func(t *testing.T, s ports.ChallengeStore)
	}{
		{"AddChallenge round-trips and refuses a taken ID", challengeAdd},
		{"Challenge of an unknown ID is NotFound", challengeNotFound},
		{"ConsumeChallenge succeeds once", challengeConsume},
		{"Concurrent ConsumeChallenge: exactly one wins", challengeConsumeRace},
		{"DeleteChallenges removes one user's outstanding challenges of one purpose", challengeDelete},
		{"DeleteTargetChallenges removes one target's outstanding challenges of one purpose", challengeDeleteTarget},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newStore(t))
		})
	}
}

func challenge(id, user string, purpose identity.Purpose, created int) identity.Challenge {
	return identity.Challenge{
		ID: id, Purpose: purpose, UserID: user, Target: user + "@example.com",
		CreatedAt: at(created), ExpiresAt: at(created + 10), MaxAttempts: 5,
	}
}

func normChallenge(c identity.Challenge) identity.Challenge {
	c.CreatedAt, c.ExpiresAt = ms(c.CreatedAt), ms(c.ExpiresAt)
	return c
}

func challengeAdd(t *testing.T, s ports.ChallengeStore) {
	c := challenge("c1", "u1", identity.PurposePasswordReset, 1)
	must(t, s.AddChallenge(t.Context(), c), "AddChallenge")
	got, err := s.Challenge(t.Context(), "c1")
	must(t, err, "Challenge")
	wantEqual(t, got, c, normChallenge, "Challenge")

	anon := challenge("c2", "", identity.PurposePhoneLogin, 2)
	anon.Target = "+15550001234"
	must(t, s.AddChallenge(t.Context(), anon), "AddChallenge without a user")
	got, err = s.Challenge(t.Context(), "c2")
	must(t, err, "Challenge")
	wantEqual(t, got, anon, normChallenge, "Challenge without a user")

	other := challenge("c1", "u2", identity.PurposeEmailConfirm, 3)
	wantFault(t, s.AddChallenge(t.Context(), other), fault.Conflict, identity.ReasonChallengeExists, "AddChallenge with a taken ID")
	got, err = s.Challenge(t.Context(), "c1")
	must(t, err, "Challenge")
	wantEqual(t, got, c, normChallenge, "Challenge after a refused AddChallenge")
}

func challengeNotFound(t *testing.T, s ports.ChallengeStore) {
	must(t, s.AddChallenge(t.Context(), challenge("c1", "u1", identity.PurposeEmailConfirm, 1)), "AddChallenge")
	_, err := s.Challenge(t.Context(), "nope")
	wantFault(t, err, fault.NotFound, identity.ReasonChallengeNotFound, "Challenge")
	wantFault(t, s.ConsumeChallenge(t.Context(), "nope"), fault.NotFound, identity.ReasonChallengeNotFound, "ConsumeChallenge")
}

func challengeConsume(t *testing.T, s ports.ChallengeStore) {
	must(t, s.AddChallenge(t.Context(), challenge("c1", "u1", identity.PurposePasswordReset, 1)), "AddChallenge")
	must(t, s.AddChallenge(t.Context(), challenge("c2", "u1", identity.PurposePasswordReset, 1)), "AddChallenge")
	must(t, s.ConsumeChallenge(t.Context(), "c1"), "ConsumeChallenge")
	wantFault(t, s.ConsumeChallenge(t.Context(), "c1"), fault.Conflict, identity.ReasonChallengeUsed, "second ConsumeChallenge")
	_, err := s.Challenge(t.Context(), "c1")
	wantFault(t, err, fault.NotFound, identity.ReasonChallengeNotFound, "Challenge after ConsumeChallenge")
	if _, err := s.Challenge(t.Context(), "c2"); err != nil {
		t.Fatalf("consuming c1 touched c2: %v", err)
	}
}

func challengeConsumeRace(t *testing.T, s ports.ChallengeStore) {
	must(t, s.AddChallenge(t.Context(), challenge("c1", "u1", identity.PurposePasswordReset, 1)), "AddChallenge")
	errs := race(racers, func(int) error { return s.ConsumeChallenge(t.Context(), "c1") })
	oneWinner(t, errs, fault.Conflict, identity.ReasonChallengeUsed)
}

func challengeDelete(t *testing.T, s ports.ChallengeStore) {
	add := func(c identity.Challenge) { must(t, s.AddChallenge(t.Context(), c), "AddChallenge "+c.ID) }
	for i := range 3 {
		add(challenge(fmt.Sprintf("reset-%d", i), "u1", identity.PurposePasswordReset, i))
	}
	add(challenge("confirm", "u1", identity.PurposeEmailConfirm, 1))
	add(challenge("theirs", "u2", identity.PurposePasswordReset, 1))
	add(challenge("anon", "", identity.PurposePasswordReset, 1))
	must(t, s.ConsumeChallenge(t.Context(), "reset-0"), "ConsumeChallenge")

	n, err := s.DeleteChallenges(t.Context(), "u1", identity.PurposePasswordReset)
	must(t, err, "DeleteChallenges")
	if n != 2 {
		t.Fatalf("DeleteChallenges removed %d, want 2 (the consumed one is not outstanding)", n)
	}
	for _, id := range []string{"reset-1", "reset-2"} {
		_, err := s.Challenge(t.Context(), id)
		wantFault(t, err, fault.NotFound, identity.ReasonChallengeNotFound, "Challenge "+id+" after DeleteChallenges")
		wantFault(t, s.ConsumeChallenge(t.Context(), id), fault.NotFound, identity.ReasonChallengeNotFound, "ConsumeChallenge "+id+" after DeleteChallenges")
	}
	for _, id := range []string{"confirm", "theirs", "anon"} {
		if _, err := s.Challenge(t.Context(), id); err != nil {
			t.Fatalf("DeleteChallenges removed %s: %v", id, err)
		}
	}
	n, err = s.DeleteChallenges(t.Context(), "u1", identity.PurposePasswordReset)
	must(t, err, "DeleteChallenges again")
	if n != 0 {
		t.Fatalf("second DeleteChallenges removed %d, want 0", n)
	}
	n, err = s.DeleteChallenges(t.Context(), "nobody", identity.PurposeEmailConfirm)
	if err != nil || n != 0 {
		t.Fatalf("DeleteChallenges of an unknown user = %d, %v; want 0, nil", n, err)
	}
}
