package identitysvc_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/ports"
)

// tallyBurst counts wrong-password answers and checks that every other
// answer is a throttle with a wait.
func tallyBurst(tb testing.TB, errs []error) (bad int) {
	tb.Helper()
	for _, err := range errs {
		if fault.ReasonOf(err) == "identity.bad_credentials" {
			bad++
			continue
		}
		wantFault(tb, err, fault.RateLimited, "identity.throttled")
		if fe, _ := fault.As(err); fe.RetryAfter <= 0 {
			tb.Fatalf("a refused attempt has no Retry-After: %v", err)
		}
	}
	return bad
}

// TestParallelWrongPasswordsCheckOnlyTheFreeAttempts: 50 wrong passwords
// at once, through the account's email and login alike, get at most the
// six attempts the backoff leaves free checked (5 free failures, then the
// one that earns the first wait); the rest are refused with a wait before
// any password is checked. An unknown handle behaves the same.
func TestParallelWrongPasswordsCheckOnlyTheFreeAttempts(t *testing.T) {
	const burst, free = 50, 6
	for _, who := range []struct{ name, email, login string }{
		{"account", "Lee@Example.com", "lee"},
		{"unknown handle", "ghost@example.com", "ghost@example.com"},
	} {
		t.Run(who.name, func(t *testing.T) {
			f := newFixture(t, nil)
			ctx := context.Background()
			f.register(t, ports.Registration{Login: "lee", Email: "lee@example.com", Password: pw})
			before := f.hasher.verifies.Load()
			errs := race(burst, func(i int) error {
				handle := who.email
				if i%2 == 1 {
					handle = who.login
				}
				_, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: handle, Password: "guess", IP: "198.51.100.7"})
				return err
			})
			bad := tallyBurst(t, errs)
			verified := f.hasher.verifies.Load() - before
			if verified > free || bad != int(verified) || bad == 0 {
				t.Fatalf("%d checked, %d wrong-password answers; want the same number, 1..%d", verified, bad, free)
			}
		})
	}
}

// TestOneBudgetPerAccount: failures through the email, the login and
// another spelling of the email spend one budget, and the lock that ends
// it holds for every handle, the right password included.
func TestOneBudgetPerAccount(t *testing.T) {
	f := newFixtureWith(t, nil, func(d *identitysvc.Deps) {
		d.Throttle = identitysvc.Throttle{LoginBackoff: noBackoff, AccountFailures: 6}
	})
	ctx := context.Background()
	f.register(t, ports.Registration{Login: "moe", Email: "moe@example.com", Password: pw})
	handles := []string{"moe@example.com", "moe", "MOE@Example.COM"}
	for i := range 6 {
		_, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: handles[i%3], Password: "guess"})
		wantFault(t, err, fault.Unauthenticated, "identity.bad_credentials")
	}
	for _, h := range handles {
		_, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: h, Password: pw})
		wantThrottled(t, err, time.Hour)
	}
	// A password reset proves the owner and clears the account's budget.
	_, token := startResetOf(t, f, "moe@example.com")
	if _, err := f.svc.ResetPassword(ctx, token, newPW); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: "moe", Password: newPW}); err != nil {
		t.Fatalf("sign-in after the reset: %v", err)
	}
}

// startResetOf asks for a reset of email and returns the mail and the
// token its link carries (the link's last path segment).
func startResetOf(tb testing.TB, f fixture, email string) (ports.Notification, string) {
	tb.Helper()
	if err := f.svc.StartPasswordReset(context.Background(), email, ""); err != nil {
		tb.Fatal(err)
	}
	n := f.notes.last(tb)
	return n, n.Link[strings.LastIndex(n.Link, "/")+1:]
}

// gatedHasher holds every Verify until open is closed, telling entered
// when one starts.
type gatedHasher struct {
	ports.PasswordHasher
	entered chan struct{}
	open    chan struct{}
}

func (h *gatedHasher) Verify(ctx context.Context, hash, password string) (bool, bool, error) {
	h.entered <- struct{}{}
	<-h.open
	return h.PasswordHasher.Verify(ctx, hash, password)
}

// heldRefund is a cache whose first give-back (Incr by -1) waits until
// release is closed, telling held when it starts.
type heldRefund struct {
	ports.Cache
	first   atomic.Bool
	held    chan struct{}
	release chan struct{}
}

func (c *heldRefund) Incr(ctx context.Context, key string, delta int64, ttl time.Duration) (int64, error) {
	if delta < 0 && c.first.CompareAndSwap(false, true) {
		close(c.held)
		<-c.release
	}
	return c.Cache.Incr(ctx, key, delta, ttl)
}

// TestWaitNeverShrinks replays the finding "a failure finishing at the
// moment of the lock turned Retry-After 3600 into 60": two attempts are
// being checked when a third is refused while a fourth, counted past the
// budget, locks the account for an hour; the checked ones then fail, the
// later one earning a minute's backoff. The next caller is told the hour.
func TestWaitNeverShrinks(t *testing.T) {
	gate := &gatedHasher{entered: make(chan struct{}), open: make(chan struct{})}
	cache := &heldRefund{held: make(chan struct{}), release: make(chan struct{})}
	f := newFixtureWith(t, nil, func(d *identitysvc.Deps) {
		gate.PasswordHasher, cache.Cache = d.Hasher, d.Cache
		d.Hasher, d.Cache = gate, cache
		d.Throttle = identitysvc.Throttle{
			LoginBackoff:    identity.Backoff{Free: 1, Base: time.Minute, Max: time.Minute},
			AccountFailures: 3,
		}
	})
	ctx := context.Background()
	f.register(t, ports.Registration{Login: "nia", Password: pw})
	attempt := func() error {
		_, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: "nia", Password: "guess"})
		return err
	}
	checked := make(chan error, 2)
	for range 2 { // attempts 1 and 2: free, so both are checked at once
		go func() { checked <- attempt() }()
		<-gate.entered
	}
	refused := make(chan error, 1)
	go func() { refused <- attempt() }() // attempt 3 waits for the mark of 2; its give-back is held
	<-cache.held
	wantThrottled(t, attempt(), time.Hour) // counted as 4, past the budget of 3: the lock
	close(cache.release)
	wantThrottled(t, <-refused, time.Minute)
	close(gate.open)
	for range 2 {
		wantFault(t, <-checked, fault.Unauthenticated, "identity.bad_credentials")
	}
	wantThrottled(t, attempt(), time.Hour) // the minute's mark does not shorten the lock
	f.clock.Advance(2 * time.Minute)
	wantThrottled(t, attempt(), time.Hour-2*time.Minute)
}
