package identitysvc_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gatehouse/adapters/memstore"
	"gatehouse/adapters/passhash"
	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/ports"
)

var epoch = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// countingHasher counts Verify calls, to prove unknown handles pay for one.
type countingHasher struct {
	ports.PasswordHasher
	verifies atomic.Int64
}

func (h *countingHasher) Verify(ctx context.Context, hash, password string) (bool, bool, error) {
	h.verifies.Add(1)
	return h.PasswordHasher.Verify(ctx, hash, password)
}

// brokenUpdates is a store whose Update always fails.
type brokenUpdates struct{ ports.UserStore }

func (brokenUpdates) Update(context.Context, identity.User) error {
	return errors.New("disk on fire")
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type fixture struct {
	svc    *identitysvc.Service
	users  ports.UserStore
	hasher *countingHasher
	log    *syncBuffer
}

// newFixture builds a Service on memstore with cheap argon2id parameters;
// wrap, when given, decorates the store.
func newFixture(tb testing.TB, wrap func(ports.UserStore) ports.UserStore) fixture {
	tb.Helper()
	ph, err := passhash.New(passhash.Options{Memory: 64, Time: 1, Concurrency: 4})
	if err != nil {
		tb.Fatal(err)
	}
	var users ports.UserStore = memstore.NewUserStore()
	if wrap != nil {
		users = wrap(users)
	}
	f := fixture{users: users, hasher: &countingHasher{PasswordHasher: ph}, log: &syncBuffer{}}
	f.svc, err = identitysvc.New(identitysvc.Deps{
		Users:  users,
		Hasher: f.hasher,
		Clock:  fixedClock{epoch},
		Random: rand.Reader,
		Log:    slog.New(slog.NewTextHandler(f.log, nil)),
	})
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

func (f fixture) register(tb testing.TB, r ports.Registration) identity.User {
	tb.Helper()
	u, err := f.svc.Register(context.Background(), r)
	if err != nil {
		tb.Fatalf("Register(%+v): %v", r, err)
	}
	return u
}

// wantFault checks err's code and reason.
func wantFault(tb testing.TB, err error, code fault.Code, reason string) {
	tb.Helper()
	if fault.CodeOf(err) != code || fault.ReasonOf(err) != reason {
		tb.Fatalf("error = %v; want %s %s", err, code, reason)
	}
}
