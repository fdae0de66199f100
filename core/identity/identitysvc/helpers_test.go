package identitysvc_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"strings"
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
	"gatehouse/ports/porttest"
)

var epoch = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

const publicURL = "http://127.0.0.1:8080"

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

// notifier records notifications; err, when set, is returned instead.
type notifier struct {
	mu   sync.Mutex
	sent []ports.Notification
	err  error
}

func (n *notifier) Notify(_ context.Context, msg ports.Notification) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.err != nil {
		return n.err
	}
	n.sent = append(n.sent, msg)
	return nil
}

func (n *notifier) all() []ports.Notification {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]ports.Notification(nil), n.sent...)
}

// of returns the notifications sent for purpose, in order.
func (n *notifier) of(purpose identity.Purpose) []ports.Notification {
	var out []ports.Notification
	for _, msg := range n.all() {
		if msg.Purpose == purpose {
			out = append(out, msg)
		}
	}
	return out
}

// last returns the latest notification, failing when none was sent.
func (n *notifier) last(tb testing.TB) ports.Notification {
	tb.Helper()
	all := n.all()
	if len(all) == 0 {
		tb.Fatal("no notification was sent")
	}
	return all[len(all)-1]
}

// call is one recorded call of a fake: a user and a reason.
type call struct{ userID, reason string }

// revoker records EndUserSessions calls; err, when set, is returned.
type revoker struct {
	mu    sync.Mutex
	calls []call
	err   error
}

func (r *revoker) EndUserSessions(_ context.Context, userID, reason string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, call{userID, reason})
	return r.err
}

func (r *revoker) all() []call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]call(nil), r.calls...)
}

// hook records UserDeleted calls, in order across hooks via log.
type hook struct {
	name string
	log  *[]string
	err  error
}

func (h hook) UserDeleted(_ context.Context, userID string) error {
	*h.log = append(*h.log, h.name+":"+userID)
	return h.err
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
	svc        *identitysvc.Service
	users      ports.UserStore
	hasher     *countingHasher
	log        *syncBuffer
	clock      *porttest.Clock
	cache      *memstore.Cache
	challenges *memstore.ChallengeStore
	notes      *notifier
	revoker    *revoker
}

// newFixture builds a Service on memstore with cheap argon2id parameters;
// wrap, when given, decorates the store.
func newFixture(tb testing.TB, wrap func(ports.UserStore) ports.UserStore) fixture {
	tb.Helper()
	return newFixtureWith(tb, wrap, nil)
}

// newFixtureWith is newFixture with edit applied to the Deps before New.
func newFixtureWith(tb testing.TB, wrap func(ports.UserStore) ports.UserStore, edit func(*identitysvc.Deps)) fixture {
	tb.Helper()
	d, f := baseDeps(tb)
	if wrap != nil {
		d.Users = wrap(d.Users)
		f.users = d.Users
	}
	if edit != nil {
		edit(&d)
	}
	var err error
	if f.svc, err = identitysvc.New(d); err != nil {
		tb.Fatal(err)
	}
	return f
}

// baseDeps returns complete Deps on fresh fakes and the fixture holding them.
func baseDeps(tb testing.TB) (identitysvc.Deps, fixture) {
	tb.Helper()
	ph, err := passhash.New(passhash.Options{Memory: 64, Time: 1, Concurrency: 4})
	if err != nil {
		tb.Fatal(err)
	}
	clock := porttest.NewClock(epoch)
	cache := memstore.NewCache(clock)
	tb.Cleanup(func() { _ = cache.Close() })
	f := fixture{
		users: memstore.NewUserStore(), hasher: &countingHasher{PasswordHasher: ph}, log: &syncBuffer{},
		clock: clock, cache: cache, challenges: memstore.NewChallengeStore(),
		notes: &notifier{}, revoker: &revoker{},
	}
	return identitysvc.Deps{
		Users:      f.users,
		Hasher:     f.hasher,
		Clock:      clock,
		Random:     rand.Reader,
		Challenges: f.challenges,
		Notifier:   f.notes,
		Cache:      cache,
		Sessions:   f.revoker,
		Links:      ports.LinkRoutes{Base: publicURL, Paths: map[identity.Purpose]string{identity.PurposeEmailConfirm: "/v1/user/confirm/", identity.PurposePasswordReset: "/v1/user/confirm/"}},
		Log:        slog.New(slog.NewTextHandler(f.log, nil)),
	}, f
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

// tokenOfLink is the token an emailed link carries: its last path segment.
func tokenOfLink(n ports.Notification) string {
	return n.Link[strings.LastIndex(n.Link, "/")+1:]
}
