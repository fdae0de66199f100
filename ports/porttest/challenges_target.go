package porttest

import (
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

func challengeDeleteTarget(t *testing.T, s ports.ChallengeStore) {
	add := func(id, user, target string, purpose identity.Purpose) {
		c := challenge(id, user, purpose, 1)
		c.Target = target
		must(t, s.AddChallenge(t.Context(), c), "AddChallenge "+id)
	}
	const phone, other = "+79991234567", "+79991234568"
	add("a", "", phone, identity.PurposePhoneLogin)
	add("b", "", phone, identity.PurposePhoneLogin)
	add("c", "u1", phone, identity.PurposePhoneLogin)
	add("used", "", phone, identity.PurposePhoneLogin)
	add("other-phone", "", other, identity.PurposePhoneLogin)
	add("other-purpose", "u1", phone, identity.PurposeEmailBind)
	must(t, s.ConsumeChallenge(t.Context(), "used"), "ConsumeChallenge")

	n, err := s.DeleteTargetChallenges(t.Context(), phone, identity.PurposePhoneLogin)
	must(t, err, "DeleteTargetChallenges")
	if n != 3 {
		t.Fatalf("DeleteTargetChallenges removed %d, want 3 (the consumed one is not outstanding)", n)
	}
	for _, id := range []string{"a", "b", "c", "used"} {
		_, err := s.Challenge(t.Context(), id)
		wantFault(t, err, fault.NotFound, identity.ReasonChallengeNotFound, "Challenge "+id+" after DeleteTargetChallenges")
	}
	if err := s.ConsumeChallenge(t.Context(), "used"); !fault.Is(err, fault.Conflict) && !fault.Is(err, fault.NotFound) {
		t.Fatalf("ConsumeChallenge of a spent, deleted challenge = %v; want Conflict or NotFound", err)
	}
	for _, id := range []string{"other-phone", "other-purpose"} {
		if _, err := s.Challenge(t.Context(), id); err != nil {
			t.Fatalf("DeleteTargetChallenges removed %s: %v", id, err)
		}
	}
	for _, target := range []string{phone, ""} {
		n, err = s.DeleteTargetChallenges(t.Context(), target, identity.PurposePhoneLogin)
		if err != nil || n != 0 {
			t.Fatalf("DeleteTargetChallenges(%q) again = %d, %v; want 0, nil", target, n, err)
		}
	}
}
