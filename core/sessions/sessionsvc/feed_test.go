package sessionsvc_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/core/sessions/sessionsvc"
	"gatehouse/ports"
)

// denyCounter is a process's own cache that counts deny-list writes.
type denyCounter struct {
	ports.Cache
	mu     sync.Mutex
	denies map[string]int
}

func (c *denyCounter) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if id, ok := strings.CutPrefix(key, "sessions:revoked:"); ok {
		c.mu.Lock()
		c.denies[id]++
		c.mu.Unlock()
	}
	return c.Cache.Set(ctx, key, value, ttl)
}

// take returns the deny-list writes since the last take, and resets them.
func (c *denyCounter) take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	got := c.denies
	c.denies = map[string]int{}
	return got
}

// follower is a Service over e's store with a memory cache of its own, as
// the service runs beside `gatehouse user block` on one embedded database.
func (e *env) follower(tb testing.TB, store ports.SessionStore) (*sessionsvc.Service, *denyCounter) {
	tb.Helper()
	cache := &denyCounter{Cache: flushedCache(tb, e), denies: map[string]int{}}
	svc, err := sessionsvc.New(sessionsvc.Deps{Store: store, Signer: e.signer, Cache: cache, Clock: e.clock,
		Random: rand.Reader, Policy: testPolicy})
	if err != nil {
		tb.Fatal(err)
	}
	return svc, cache
}

func sync1(tb testing.TB, svc *sessionsvc.Service) {
	tb.Helper()
	if err := svc.SyncRevocations(context.Background()); err != nil {
		tb.Fatalf("SyncRevocations: %v", err)
	}
}

// wantVerify fails unless svc accepts the access token (revoked false) or
// refuses it as revoked.
func wantVerify(tb testing.TB, svc ports.Sessions, access string, revoked bool) {
	tb.Helper()
	_, err := svc.Verify(context.Background(), access, "")
	if revoked {
		wantFault(tb, err, fault.Unauthenticated, sessions.ReasonTokenRevoked)
	} else if err != nil {
		tb.Fatalf("Verify: %v", err)
	}
}

func wantVerifyOpaque(tb testing.TB, svc ports.Sessions, token string, revoked bool) {
	tb.Helper()
	_, err := svc.VerifyOpaque(context.Background(), token)
	if revoked {
		wantFault(tb, err, fault.Unauthenticated, sessions.ReasonTokenRevoked)
	} else if err != nil {
		tb.Fatalf("VerifyOpaque: %v", err)
	}
}

func TestRevocationFeedAppliesAnotherProcessRevocations(t *testing.T) {
	tests := []struct {
		name                 string
		end                  func(ctx context.Context, other ports.Sessions, e *env, pair ports.TokenPair, tok ports.OpaqueToken) error
		accessEnd, opaqueEnd bool
	}{
		{"user block: EndUserSessions", func(ctx context.Context, other ports.Sessions, _ *env, _ ports.TokenPair, _ ports.OpaqueToken) error {
			return other.EndUserSessions(ctx, "u1", "admin")
		}, true, true},
		{"EndSession of the refresh family", func(ctx context.Context, other ports.Sessions, _ *env, pair ports.TokenPair, _ ports.OpaqueToken) error {
			return other.EndSession(ctx, pair.SessionID)
		}, true, false},
		{"Logout of the opaque session", func(ctx context.Context, other ports.Sessions, _ *env, _ ports.TokenPair, tok ports.OpaqueToken) error {
			return other.Logout(ctx, tok.Token)
		}, false, true},
		{"RevokeFamily straight in the store", func(ctx context.Context, _ ports.Sessions, e *env, pair ports.TokenPair, _ ports.OpaqueToken) error {
			return e.store.RevokeFamily(ctx, pair.SessionID, e.clock.Now(), "admin")
		}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, "EdDSA")
			svc, _ := e.follower(t, e.store)
			other, _ := e.follower(t, e.store) // the admin command: its own cache
			sync1(t, svc)
			pair, err := svc.Start(ctx, "u1", "", ports.DeviceInfo{Name: "phone"})
			if err != nil {
				t.Fatalf("Start: %v", err)
			}
			tok := e.startOpaque(t, svc, "u1")
			bystander := e.startOpaque(t, svc, "u2")
			wantVerify(t, svc, pair.AccessToken, false)
			wantVerifyOpaque(t, svc, tok.Token, false) // the check is warm

			e.clock.Advance(time.Second)
			if err := tt.end(ctx, other, e, pair, tok); err != nil {
				t.Fatalf("revoke in the other process: %v", err)
			}
			// Until it reads the feed, the service cannot know.
			wantVerify(t, svc, pair.AccessToken, false)
			wantVerifyOpaque(t, svc, tok.Token, false)

			sync1(t, svc)
			wantVerify(t, svc, pair.AccessToken, tt.accessEnd)
			wantVerifyOpaque(t, svc, tok.Token, tt.opaqueEnd)
			wantVerifyOpaque(t, svc, bystander.Token, false)
		})
	}
}

func TestRevocationFeedAppliesEachFamilyOnce(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	svc, cache := e.follower(t, e.store)
	other, _ := e.follower(t, e.store)
	sync1(t, svc)
	a, b := e.start(t, "u1"), e.start(t, "u1")
	mine := e.start(t, "u2")
	if err := other.EndUserSessions(ctx, "u1", "admin"); err != nil {
		t.Fatal(err)
	}
	cache.take()
	steps := []struct {
		name    string
		advance time.Duration
		act     func() error
		want    map[string]int
	}{
		{"the first sync applies both", 0, nil, map[string]int{a.SessionID: 1, b.SessionID: 1}},
		{"the next applies nothing", 0, nil, map[string]int{}},
		{"nor within the overlap", 5 * time.Second, nil, map[string]int{}},
		{"nor long after", time.Hour, nil, map[string]int{}},
		{"an own revocation is applied once more", time.Second,
			func() error { return svc.EndSession(ctx, mine.SessionID) }, map[string]int{mine.SessionID: 2}},
		{"and then no more", time.Second, nil, map[string]int{}},
	}
	for _, st := range steps {
		e.clock.Advance(st.advance)
		if st.act != nil {
			if err := st.act(); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
		}
		sync1(t, svc)
		if got := cache.take(); fmt.Sprint(got) != fmt.Sprint(st.want) {
			t.Fatalf("%s: deny-list writes %v, want %v", st.name, got, st.want)
		}
	}
}

// The feed's deny-list entry lives exactly as long as a local one.
func TestRevocationFeedDenyLivesAsLocal(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	svc, cache := e.follower(t, e.store)
	other, _ := e.follower(t, e.store)
	sync1(t, svc)
	p := e.start(t, "u1")
	if err := other.EndSession(ctx, p.SessionID); err != nil {
		t.Fatal(err)
	}
	sync1(t, svc)
	key := "sessions:revoked:" + p.SessionID
	for _, st := range []struct {
		advance time.Duration
		live    bool
	}{{0, true}, {sessions.DefaultAccessTTL + sessions.Leeway, true}, {time.Second, false}} {
		e.clock.Advance(st.advance)
		if _, ok, err := cache.Get(ctx, key); err != nil || ok != st.live {
			t.Fatalf("deny-list entry after %v more: present %v (%v), want %v", st.advance, ok, err, st.live)
		}
	}
}
