package jwtsign_test

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gatehouse/adapters/jwtsign"
	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

func newClock() *porttest.Clock {
	return porttest.NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
}

// fakeKeys is a minimal ports.KeyStore that counts reads, kept here so the
// adapter's tests depend on no other adapter.
type fakeKeys struct {
	mu    sync.Mutex
	keys  []sessions.SigningKey
	reads atomic.Int64
}

func (s *fakeKeys) AddKey(_ context.Context, k sessions.SigningKey) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, have := range s.keys {
		if have.ID == k.ID || have.Generation == k.Generation {
			return fault.New(fault.Conflict, "sessions.key_exists", "key exists")
		}
	}
	s.keys = append(s.keys, k)
	return nil
}

func (s *fakeKeys) Keys(context.Context) ([]sessions.SigningKey, error) {
	s.reads.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.keys)
	slices.SortFunc(out, func(a, b sessions.SigningKey) int { return cmp.Compare(b.Generation, a.Generation) })
	return out, nil
}

func (s *fakeKeys) RetireKey(_ context.Context, id string, retiredAt, notAfter time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.keys {
		if s.keys[i].ID == id {
			s.keys[i].RetiredAt, s.keys[i].NotAfter = retiredAt, notAfter
			return nil
		}
	}
	return fault.New(fault.NotFound, "sessions.key_not_found", "no key")
}

func (s *fakeKeys) snapshot() []sessions.SigningKey {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.keys)
}

const (
	issuer = "https://gatehouse.test"
	aud    = "app"
)

func newSigner(tb testing.TB, alg string, keys *fakeKeys, clock *porttest.Clock) *jwtsign.Signer {
	tb.Helper()
	return started(tb, jwtsign.Options{Algorithm: alg, Issuer: issuer, AccessTTL: 30 * time.Minute}, keys, clock)
}

// started returns a Signer made by New and loaded by Start. keys is an
// interface so that a nil store stays nil (key files need none).
func started(tb testing.TB, o jwtsign.Options, keys ports.KeyStore, clock *porttest.Clock) *jwtsign.Signer {
	tb.Helper()
	s, err := jwtsign.New(o, keys, clock)
	if err != nil {
		tb.Fatalf("New(%+v): %v", o, err)
	}
	if err := s.Start(context.Background()); err != nil {
		tb.Fatalf("Start(%+v): %v", o, err)
	}
	return s
}

func claimsAt(now time.Time) sessions.Claims {
	return sessions.Claims{
		Issuer: issuer, Subject: "user-1", Audience: aud,
		IssuedAt: now, ExpiresAt: now.Add(30 * time.Minute),
		ID: "jti-1", SessionID: "fam-1", Roles: []string{"admin", "user"},
	}
}

func sign(tb testing.TB, s *jwtsign.Signer, c sessions.Claims) string {
	tb.Helper()
	tok, err := s.Sign(context.Background(), c)
	if err != nil {
		tb.Fatalf("Sign: %v", err)
	}
	return tok
}

// wantReason fails unless err is fault.Unauthenticated with reason.
func wantReason(tb testing.TB, err error, reason string) {
	tb.Helper()
	if fault.CodeOf(err) != fault.Unauthenticated || fault.ReasonOf(err) != reason {
		tb.Fatalf("err = %v, want unauthenticated %s", err, reason)
	}
}
