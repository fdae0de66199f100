package identitysvc_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gatehouse/adapters/courier"
	"gatehouse/core/identity"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/ports"
)

// heldTasks is a ports.Background that keeps tasks until run is called,
// so a test sees exactly what the request path did.
type heldTasks struct {
	mu    sync.Mutex
	tasks []func(context.Context)
}

func (h *heldTasks) Defer(_ context.Context, task func(context.Context)) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.tasks = append(h.tasks, task)
	return nil
}

// run runs and forgets the held tasks, returning how many there were.
func (h *heldTasks) run(ctx context.Context) int {
	h.mu.Lock()
	tasks := h.tasks
	h.tasks = nil
	h.mu.Unlock()
	for _, task := range tasks {
		task(ctx)
	}
	return len(tasks)
}

// storeCalls counts every call on the users and challenges stores.
type storeCalls struct{ n atomic.Int64 }

type countedUsers struct {
	ports.UserStore
	c *storeCalls
}

func (u countedUsers) ByEmail(ctx context.Context, email string) (identity.User, error) {
	u.c.n.Add(1)
	return u.UserStore.ByEmail(ctx, email)
}

func (u countedUsers) ByLogin(ctx context.Context, login string) (identity.User, error) {
	u.c.n.Add(1)
	return u.UserStore.ByLogin(ctx, login)
}

// slowChallenges counts challenge store writes and makes each take delay,
// as a store on a disk does; a request that waited for them would show it.
type slowChallenges struct {
	ports.ChallengeStore
	c     *storeCalls
	delay time.Duration
}

func (s slowChallenges) AddChallenge(ctx context.Context, c identity.Challenge) error {
	s.c.n.Add(1)
	time.Sleep(s.delay)
	return s.ChallengeStore.AddChallenge(ctx, c)
}

func (s slowChallenges) DeleteChallenges(ctx context.Context, userID string, p identity.Purpose) (int, error) {
	s.c.n.Add(1)
	time.Sleep(s.delay)
	return s.ChallengeStore.DeleteChallenges(ctx, userID, p)
}

// generous budgets, so the timing runs are never throttled.
var generous = identitysvc.Throttle{ResetsPerEmail: 1 << 20, ResetsPerIP: 1 << 20, RegistrationsPerIP: 1 << 20}

// TestRestoreRequestPathIsAlike: for a known and an unknown email the
// request touches no store and defers one task; only the deferred work
// finds the account, stores its token and mails it.
func TestRestoreRequestPathIsAlike(t *testing.T) {
	calls := &storeCalls{}
	held := &heldTasks{}
	f := newFixtureWith(t, func(u ports.UserStore) ports.UserStore { return countedUsers{u, calls} }, func(d *identitysvc.Deps) {
		d.Background = held
		d.Challenges = slowChallenges{d.Challenges, calls, 0}
	})
	ctx := context.Background()
	f.register(t, ports.Registration{Login: "kim", Email: "kim@example.com", Password: pw})
	held.run(ctx) // the registration's confirmation mail

	for _, email := range []string{"kim@example.com", "nobody@example.com"} {
		before := calls.n.Load()
		if err := f.svc.StartPasswordReset(ctx, email, "192.0.2.1"); err != nil {
			t.Fatalf("StartPasswordReset(%s): %v", email, err)
		}
		if n := calls.n.Load() - before; n != 0 {
			t.Errorf("%s: the request made %d store calls, want 0", email, n)
		}
		if n := held.run(ctx); n != 1 {
			t.Errorf("%s: %d deferred tasks, want 1", email, n)
		}
	}
	if got := f.notes.of(identity.PurposePasswordReset); len(got) != 1 || got[0].Recipient != "kim@example.com" {
		t.Fatalf("reset notifications = %+v; want one to kim", got)
	}
}

// TestRegisterDefersConfirmation: the confirmation mail of a new account
// is composed and stored off the request path.
func TestRegisterDefersConfirmation(t *testing.T) {
	calls := &storeCalls{}
	held := &heldTasks{}
	f := newFixtureWith(t, nil, func(d *identitysvc.Deps) {
		d.Background = held
		d.Challenges = slowChallenges{d.Challenges, calls, 0}
	})
	f.register(t, ports.Registration{Login: "kim", Email: "kim@example.com", Password: pw})
	if n := calls.n.Load(); n != 0 || len(f.notes.all()) != 0 {
		t.Fatalf("Register made %d challenge writes and sent %d mails itself, want none", n, len(f.notes.all()))
	}
	if held.run(context.Background()) != 1 || len(f.notes.of(identity.PurposeEmailConfirm)) != 1 {
		t.Fatal("the deferred task did not send the confirmation")
	}
}

// TestRestoreTimingKnownEqualsUnknown compares the time a reset request
// takes for an email with an account and one without, through the real
// courier, on a challenge store whose writes take 2ms each (the known case
// does two). Requests alternate in pairs so machine noise falls on both
// kinds; medians and 90th percentiles of 150 each must lie within 1ms,
// where doing the writes on the request path puts them 4ms apart. This
// compares distributions, never a single request.
func TestRestoreTimingKnownEqualsUnknown(t *testing.T) {
	const n, writeDelay, tolerance = 150, 2 * time.Millisecond, time.Millisecond
	var c *courier.Courier
	f := newFixtureWith(t, nil, func(d *identitysvc.Deps) {
		c = courier.New(d.Notifier, courier.Options{QueueSize: 4 * n}) // room for every task, however slow the workers
		d.Notifier, d.Background = c, c
		d.Challenges = slowChallenges{d.Challenges, &storeCalls{}, writeDelay}
		d.Throttle = generous
	})
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	f.register(t, ports.Registration{Login: "kim", Email: "kim@example.com", Password: pw})
	known, unknown := make([]time.Duration, 0, n), make([]time.Duration, 0, n)
	restore := func(email string) time.Duration {
		start := time.Now()
		if err := f.svc.StartPasswordReset(ctx, email, "192.0.2.1"); err != nil {
			t.Fatalf("StartPasswordReset(%s): %v", email, err)
		}
		return time.Since(start)
	}
	for i := range n {
		unknownEmail := fmt.Sprintf("nobody%d@example.com", i)
		if i%2 == 0 {
			known = append(known, restore("kim@example.com"))
			unknown = append(unknown, restore(unknownEmail))
		} else {
			unknown = append(unknown, restore(unknownEmail))
			known = append(known, restore("kim@example.com"))
		}
	}
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if got := len(f.notes.of(identity.PurposePasswordReset)); got != n {
		t.Fatalf("%d reset mails sent, want %d (one per known request)", got, n)
	}
	for _, q := range []float64{0.5, 0.9} {
		k, u := quantile(known, q), quantile(unknown, q)
		t.Logf("q%.0f: known %v, unknown %v", q*100, k, u)
		if diff := k - u; diff > tolerance || diff < -tolerance {
			t.Errorf("q%.0f: known %v, unknown %v: more than %v apart", q*100, k, u, tolerance)
		}
	}
}

// quantile returns the q-quantile of d by nearest rank.
func quantile(d []time.Duration, q float64) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(int(q*float64(len(s))), len(s)-1)]
}
