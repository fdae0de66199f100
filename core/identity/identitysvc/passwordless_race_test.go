package identitysvc_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/core/identity/identitysvc"
)

// concurrently runs fn n times at once and returns the errors by index.
func concurrently(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range n {
		done.Go(func() {
			start.Wait()
			errs[i] = fn(i)
		})
	}
	start.Done()
	done.Wait()
	return errs
}

// TestPhoneCodeHasOneWinner: sixteen presentations of one right code at
// once sign in exactly once; the rest read as wrong or spent codes.
func TestPhoneCodeHasOneWinner(t *testing.T) {
	f := newPasswordless(t, func(d *identitysvc.PasswordlessDeps) { d.Policy.Attempts = identity.MaxCodeAttempts })
	f.sendPhone(t, phone, "198.51.100.1")
	code := f.phones.lastCode(t, phone)
	errs := concurrently(16, func(int) error {
		_, err := f.pw.PhoneLogin(context.Background(), phone, code, "")
		return err
	})
	wins := 0
	for _, err := range errs {
		switch fault.ReasonOf(err) {
		case "":
			wins++
		case identity.ReasonCodeInvalid, identity.ReasonCodeExhausted:
		default:
			t.Errorf("unexpected error %v", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d of 16 concurrent presentations signed in, want exactly 1", wins)
	}
}

// TestConcurrentFirstSignInsMakeOneAccount: a new phone signing in on ten
// devices at once, each with a code of its own, gets one account.
func TestConcurrentFirstSignInsMakeOneAccount(t *testing.T) {
	const n = identity.MaxCodeAttempts
	f := newPasswordless(t, func(d *identitysvc.PasswordlessDeps) { d.Policy.Attempts = n })
	ctx := context.Background()
	policy := identity.CodePolicy{Attempts: n}
	for i := range n {
		code := fmt.Sprintf("%06d", 100000+i)
		c := identity.NewChallenge(code, policy.Spec(identity.PurposePhoneLogin, phone, ""), f.clock.Now())
		c.ID = identity.CodeID(codeKey, identity.PurposePhoneLogin, phone, code)
		if err := f.challenges.AddChallenge(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	ids := make([]string, n)
	errs := concurrently(n, func(i int) error {
		u, err := f.pw.PhoneLogin(ctx, phone, fmt.Sprintf("%06d", 100000+i), "")
		ids[i] = u.ID
		return err
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("sign-in %d: %v", i, err)
		}
		if ids[i] != ids[0] {
			t.Fatalf("sign-ins got accounts %s and %s, want one", ids[0], ids[i])
		}
	}
	if all, _ := f.users.List(ctx, 0, 10); len(all) != 1 {
		t.Fatalf("%d accounts, want 1", len(all))
	}
}
