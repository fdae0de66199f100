package identitysvc_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/ports"
)

// busyHasher turns every check away at admission while refuse is set, as
// an overloaded hasher does.
type busyHasher struct {
	ports.PasswordHasher
	refuse atomic.Bool
}

func (h *busyHasher) Admit(ctx context.Context) (func(), error) {
	if h.refuse.Load() {
		e := fault.New(fault.Unavailable, "passhash.busy", "The server is busy.")
		e.RetryAfter = 2 * time.Second
		return nil, e
	}
	return h.PasswordHasher.Admit(ctx)
}

// lookupCounter counts the user lookups by handle.
type lookupCounter struct {
	ports.UserStore
	n atomic.Int64
}

func (s *lookupCounter) ByLogin(ctx context.Context, login string) (identity.User, error) {
	s.n.Add(1)
	return s.UserStore.ByLogin(ctx, login)
}

func (s *lookupCounter) ByEmail(ctx context.Context, email string) (identity.User, error) {
	s.n.Add(1)
	return s.UserStore.ByEmail(ctx, email)
}

// TestOverloadRefusedBeforeWork: a sign-in the hasher turns away is
// answered with its busy fault and wait before the account is looked up or
// the attempt counted, so a flood costs storage nothing and spends no
// one's failure budget.
func TestOverloadRefusedBeforeWork(t *testing.T) {
	var lookups *lookupCounter
	var busy *busyHasher
	f := newFixtureWith(t, func(s ports.UserStore) ports.UserStore {
		lookups = &lookupCounter{UserStore: s}
		return lookups
	}, func(d *identitysvc.Deps) {
		d.Throttle = identitysvc.Throttle{LoginBackoff: noBackoff, AccountFailures: 2, IPFailures: 2}
		busy = &busyHasher{PasswordHasher: d.Hasher}
		d.Hasher = busy
	})
	ctx := context.Background()
	f.register(t, ports.Registration{Login: "ann", Email: "ann@example.com", Password: pw})
	creds := ports.Credentials{Handle: "ann@example.com", Password: "guess", IP: "192.0.2.7"}

	busy.refuse.Store(true)
	lookups.n.Store(0)
	for range 5 {
		_, err := f.svc.Authenticate(ctx, creds)
		wantFault(t, err, fault.Unavailable, "passhash.busy")
		if fe, _ := fault.As(err); fe.RetryAfter != 2*time.Second {
			t.Fatalf("RetryAfter = %v; want the hasher's 2s", fe.RetryAfter)
		}
	}
	if n, v := lookups.n.Load(), f.hasher.verifies.Load(); n != 0 || v != 0 {
		t.Fatalf("%d lookups and %d verifies for refused sign-ins; want none", n, v)
	}

	// The budget of 2 per account and per address is whole: one more
	// failure is heard, and the right password after it.
	busy.refuse.Store(false)
	_, err := f.svc.Authenticate(ctx, creds)
	wantFault(t, err, fault.Unauthenticated, "identity.bad_credentials")
	creds.Password = pw
	if _, err := f.svc.Authenticate(ctx, creds); err != nil {
		t.Fatalf("sign-in after the refused flood: %v", err)
	}
}
