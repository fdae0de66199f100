package identitysvc_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
)

const racers = 16

// race runs f(0..n-1) in n goroutines released at once and returns their errors.
func race(n int, f func(i int) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = f(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// tally counts nil errors and fails unless every other one is the invalid
// challenge.
func tally(tb testing.TB, errs []error) int {
	tb.Helper()
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
			continue
		}
		wantFault(tb, err, fault.Unauthenticated, "identity.challenge_invalid")
	}
	return wins
}

// TestConcurrentResetOneToken: of 16 resets racing with one token exactly
// one succeeds, and sessions end once.
func TestConcurrentResetOneToken(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	u, token := startReset(t, f)
	errs := race(racers, func(i int) error {
		_, err := f.svc.ResetPassword(ctx, token, fmt.Sprintf("new password %02d", i))
		return err
	})
	if wins := tally(t, errs); wins != 1 {
		t.Fatalf("%d resets succeeded, want exactly 1", wins)
	}
	if calls := f.revoker.all(); len(calls) != 1 || calls[0].userID != u.ID {
		t.Fatalf("EndUserSessions calls = %+v, want exactly one for %s", calls, u.ID)
	}
}

// TestConcurrentConfirmKeepsBudget: 16 presentations of one token at once
// spend exactly its 5 attempts; 16 wrong codes at once spend none of it.
func TestConcurrentConfirmKeepsBudget(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	_, token := startReset(t, f)

	errs := race(racers, func(i int) error {
		_, _, err := f.svc.Confirm(ctx, fmt.Sprintf("wrong-%02d-%s", i, token[10:]))
		return err
	})
	if wins := tally(t, errs); wins != 0 {
		t.Fatalf("%d wrong codes were accepted", wins)
	}
	errs = race(racers, func(int) error {
		_, _, err := f.svc.Confirm(ctx, token)
		return err
	})
	if wins := tally(t, errs); wins != identity.DefaultChallengeAttempts {
		t.Fatalf("%d of %d concurrent Confirms passed, want exactly the budget of %d",
			wins, racers, identity.DefaultChallengeAttempts)
	}
	_, err := f.svc.ResetPassword(ctx, token, newPW)
	wantFault(t, err, fault.Unauthenticated, "identity.challenge_invalid")
}
