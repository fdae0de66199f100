package identitysvc_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/ports"
)

// wantThrottled checks for identity.throttled with RetryAfter retry.
func wantThrottled(tb testing.TB, err error, retry time.Duration) {
	tb.Helper()
	wantFault(tb, err, fault.RateLimited, "identity.throttled")
	if fe, _ := fault.As(err); fe.RetryAfter != retry {
		tb.Fatalf("RetryAfter = %v, want %v", fe.RetryAfter, retry)
	}
}

// TestLoginBackoff: five failures are free, then each one doubles the
// wait; known and unknown handles behave alike; success clears the count.
func TestLoginBackoff(t *testing.T) {
	for _, handle := range []string{"pat", "ghost"} {
		t.Run(handle, func(t *testing.T) {
			f := newFixture(t, nil)
			ctx := context.Background()
			f.register(t, ports.Registration{Login: "pat", Password: pw})
			fail := func() error {
				_, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: handle, Password: "guess", IP: "192.0.2.9"})
				return err
			}
			for range 6 {
				wantFault(t, fail(), fault.Unauthenticated, "identity.bad_credentials")
			}
			wantThrottled(t, fail(), time.Second)
			f.clock.Advance(time.Second)
			wantFault(t, fail(), fault.Unauthenticated, "identity.bad_credentials")
			wantThrottled(t, fail(), 2*time.Second)
			f.clock.Advance(1500 * time.Millisecond)
			wantThrottled(t, fail(), time.Second) // 0.5s rounded up
			f.clock.Advance(time.Second)
			if handle == "ghost" {
				wantFault(t, fail(), fault.Unauthenticated, "identity.bad_credentials")
				return
			}
			// The right password is heard once the wait is over, and clears the count.
			if _, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: "PAT", Password: pw}); err != nil {
				t.Fatalf("sign-in after the wait: %v", err)
			}
			for range 5 {
				wantFault(t, fail(), fault.Unauthenticated, "identity.bad_credentials")
			}
		})
	}
}

// TestLoginThrottleHidesTheRightPassword: during a wait even the right
// password is refused, so throttling tells nothing about it.
func TestLoginThrottleHidesTheRightPassword(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	f.register(t, ports.Registration{Login: "quinn", Password: pw})
	for range 6 {
		_, _ = f.svc.Authenticate(ctx, ports.Credentials{Handle: "quinn", Password: "guess"})
	}
	before := f.hasher.verifies.Load()
	_, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: "quinn", Password: pw})
	wantThrottled(t, err, time.Second)
	if f.hasher.verifies.Load() != before {
		t.Fatal("a throttled attempt verified a password")
	}
}

// noBackoff leaves only the hourly budgets.
var noBackoff = identity.Backoff{Free: 1 << 30}

// TestLoginAccountLock: the account budget locks the handle for a whole
// window once spent, exactly, even under concurrency.
func TestLoginAccountLock(t *testing.T) {
	f := newFixtureWith(t, nil, func(d *identitysvc.Deps) {
		d.Throttle = identitysvc.Throttle{LoginBackoff: noBackoff, AccountFailures: 10}
	})
	ctx := context.Background()
	f.register(t, ports.Registration{Login: "rae", Password: pw})
	errs := race(32, func(int) error {
		_, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: "rae", Password: "guess"})
		return err
	})
	bad := 0
	for _, err := range errs {
		if fault.ReasonOf(err) == "identity.bad_credentials" {
			bad++
		} else {
			wantFault(t, err, fault.RateLimited, "identity.throttled")
		}
	}
	if bad != 10 || f.hasher.verifies.Load() != 10 {
		t.Fatalf("%d wrong passwords heard, %d verified; want exactly the budget of 10", bad, f.hasher.verifies.Load())
	}
	_, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: "rae", Password: pw})
	wantThrottled(t, err, time.Hour)
	f.clock.Advance(59 * time.Minute)
	_, err = f.svc.Authenticate(ctx, ports.Credentials{Handle: "rae", Password: pw})
	wantThrottled(t, err, time.Minute)
	f.clock.Advance(time.Minute)
	if _, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: "rae", Password: pw}); err != nil {
		t.Fatalf("sign-in after the lock: %v", err)
	}
}

// TestLoginIPBudget: one address failing across many handles is stopped;
// successes do not count; other addresses go on.
func TestLoginIPBudget(t *testing.T) {
	f := newFixtureWith(t, nil, func(d *identitysvc.Deps) {
		d.Throttle = identitysvc.Throttle{LoginBackoff: noBackoff, IPFailures: 3}
	})
	ctx := context.Background()
	f.register(t, ports.Registration{Login: "sam", Password: pw})
	try := func(handle, password, ip string) error {
		_, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: handle, Password: password, IP: ip})
		return err
	}
	for i := range 5 {
		if err := try("sam", pw, "198.51.100.1"); err != nil {
			t.Fatalf("success %d: %v", i, err)
		}
	}
	for i := range 3 {
		wantFault(t, try(fmt.Sprintf("user%d", i), "guess", "198.51.100.1"), fault.Unauthenticated, "identity.bad_credentials")
	}
	wantThrottled(t, try("user9", "guess", "198.51.100.1"), time.Hour)
	wantThrottled(t, try("sam", pw, "198.51.100.1"), time.Hour)
	if err := try("sam", pw, "198.51.100.2"); err != nil {
		t.Fatalf("another address: %v", err)
	}
}

func TestRegistrationThrottle(t *testing.T) {
	f := newFixtureWith(t, nil, func(d *identitysvc.Deps) {
		d.Throttle = identitysvc.Throttle{RegistrationsPerIP: 2}
	})
	ctx := context.Background()
	reg := func(login, ip string) error {
		_, err := f.svc.Register(ctx, ports.Registration{Login: login, Password: pw, IP: ip})
		return err
	}
	for _, login := range []string{"user1", "user2"} {
		if err := reg(login, "203.0.113.5"); err != nil {
			t.Fatal(err)
		}
	}
	if err := reg("x", "203.0.113.5"); fault.CodeOf(err) != fault.Invalid {
		t.Fatalf("an invalid sign-up = %v, want fault.Invalid before any count", err)
	}
	f.clock.Advance(30 * time.Minute) // windows are aligned to the hour: 12:30 now
	wantThrottled(t, reg("user3", "203.0.113.5"), 30*time.Minute)
	for _, login := range []string{"user4", "user5"} {
		if err := reg(login, ""); err != nil {
			t.Fatal(err)
		}
	}
	// Sign-ups without an address share one budget rather than escape it.
	wantThrottled(t, reg("user6", ""), 30*time.Minute)
	if err := reg("user7", "203.0.113.6"); err != nil {
		t.Fatal(err)
	}
}

func TestEmailRegisteredThrottle(t *testing.T) {
	f := newFixtureWith(t, nil, func(d *identitysvc.Deps) {
		d.Throttle = identitysvc.Throttle{EmailChecksPerIP: 3}
	})
	ctx := context.Background()
	f.register(t, ports.Registration{Login: "tia", Email: "tia@example.com", Password: pw})
	for _, tt := range []struct {
		email string
		want  bool
	}{{"TIA@example.com", true}, {"tib@example.com", false}, {"tia@example.com", true}} {
		got, err := f.svc.EmailRegistered(ctx, tt.email, "203.0.113.7")
		if err != nil || got != tt.want {
			t.Fatalf("EmailRegistered(%q) = %v, %v; want %v", tt.email, got, err, tt.want)
		}
	}
	_, err := f.svc.EmailRegistered(ctx, "tia@example.com", "203.0.113.7")
	wantThrottled(t, err, time.Hour)
	_, err = f.svc.EmailRegistered(ctx, "nope", "203.0.113.8")
	if fault.CodeOf(err) != fault.Invalid {
		t.Fatalf("malformed email: %v, want fault.Invalid", err)
	}
}
