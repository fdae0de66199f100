package memstore

import (
	"fmt"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

func TestChallengeStore(t *testing.T) {
	porttest.RunChallengeStore(t, func(testing.TB) ports.ChallengeStore { return NewChallengeStore() })
}

// TestChallengeStorePrunesExpired: adding challenges over a long time keeps
// only about the live ones, consumed markers included.
func TestChallengeStorePrunesExpired(t *testing.T) {
	s := NewChallengeStore()
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	const adds = 20 * sweepMinWrites
	for i := range adds {
		now := start.Add(time.Duration(i) * time.Minute)
		id := fmt.Sprintf("c%d", i)
		c := identity.Challenge{ID: id, Purpose: identity.PurposeEmailConfirm, UserID: "u", CreatedAt: now, ExpiresAt: now.Add(10 * time.Minute)}
		if err := s.AddChallenge(t.Context(), c); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			if err := s.ConsumeChallenge(t.Context(), id); err != nil {
				t.Fatal(err)
			}
		}
	}
	s.mu.Lock()
	n := len(s.items)
	s.mu.Unlock()
	if n > 2*sweepMinWrites {
		t.Fatalf("%d challenges held after %d adds of 10-minute ones a minute apart, want at most %d", n, adds, 2*sweepMinWrites)
	}
	if _, err := s.Challenge(t.Context(), fmt.Sprintf("c%d", adds-1)); err != nil {
		t.Fatalf("the newest challenge was pruned: %v", err)
	}
}

func TestChallengeStoreRefusesEmptyIDAndUser(t *testing.T) {
	s := NewChallengeStore()
	err := s.AddChallenge(t.Context(), identity.Challenge{Purpose: identity.PurposeEmailConfirm})
	if fault.CodeOf(err) != fault.Invalid {
		t.Fatalf("AddChallenge without ID: %v, want fault.Invalid", err)
	}
	if err := s.AddChallenge(t.Context(), identity.Challenge{ID: "a", Purpose: identity.PurposePhoneLogin, Target: "+15550001234"}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.DeleteChallenges(t.Context(), "", identity.PurposePhoneLogin); err != nil || n != 0 {
		t.Fatalf("DeleteChallenges of no user = %d, %v; want 0, nil", n, err)
	}
}
