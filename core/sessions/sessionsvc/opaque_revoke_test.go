package sessionsvc_test

import (
	"context"
	"maps"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

func TestOpaqueRevocationReachesEveryReplica(t *testing.T) {
	tests := []struct {
		name   string
		end    func(ctx context.Context, svc ports.Sessions, tok ports.OpaqueToken) error
		reason string
	}{
		{"EndSession", func(ctx context.Context, svc ports.Sessions, tok ports.OpaqueToken) error {
			return svc.EndSession(ctx, tok.SessionID)
		}, "logout"},
		{"Logout with the token", func(ctx context.Context, svc ports.Sessions, tok ports.OpaqueToken) error {
			return svc.Logout(ctx, tok.Token)
		}, "logout"},
		{"EndUserSessions", func(ctx context.Context, svc ports.Sessions, _ ports.OpaqueToken) error {
			return svc.EndUserSessions(ctx, "u1", "password")
		}, "password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, "EdDSA")
			store := &countingStore{next: e.store}
			a, b := e.replica(t, store, e.cache), e.replica(t, store, e.cache)
			tok := e.startOpaque(t, a, "u1")
			other := e.startOpaque(t, a, "u2")
			verifyOpaque(t, b, tok.Token) // b's check is warm
			if err := tt.end(ctx, a, tok); err != nil {
				t.Fatalf("end on replica a: %v", err)
			}
			// The revoker dropped the cached record, for every replica...
			if _, ok, _ := e.cache.Get(ctx, "sessions:opaque:"+sessions.HashRefresh(tok.Token)); ok {
				t.Fatal("revocation left the cache entry")
			}
			// ...so at once, with no time passing, b refuses the token.
			store.take()
			_, err := b.VerifyOpaque(ctx, tok.Token)
			wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenRevoked)
			_, err = a.VerifyOpaque(ctx, tok.Token)
			wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenRevoked)
			// The first refusal read the store's verdict, which is cached.
			if got, want := store.take(), map[string]int{"Refresh": 1, "Family": 1}; !maps.Equal(got, want) {
				t.Fatalf("store calls of the refusals = %v, want %v", got, want)
			}
			if f, _ := e.store.Family(ctx, tok.SessionID); f.Reason != tt.reason {
				t.Fatalf("revoked for %q, want %q", f.Reason, tt.reason)
			}
			verifyOpaque(t, b, other.Token)
			// Long after the deny-list entry lapsed the session stays ended.
			e.clock.Advance(time.Hour)
			_, err = b.VerifyOpaque(ctx, tok.Token)
			wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenRevoked)
			_, err = e.replica(t, e.store, flushedCache(t, e)).VerifyOpaque(ctx, tok.Token)
			wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenRevoked)
		})
	}
}

// A replica that read a live record just before the revocation may write
// it back to the cache after the revoker deleted it; the deny-list key,
// read after every such write, still refuses it and clears the entry.
func TestOpaqueStaleEntryAfterRevocationIsRefused(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	tok := e.startOpaque(t, e.svc, "u1")
	key := "sessions:opaque:" + sessions.HashRefresh(tok.Token)
	stale, ok, err := e.cache.Get(ctx, key)
	if err != nil || !ok {
		t.Fatalf("cache entry after start: %v, %v", ok, err)
	}
	if err := e.svc.EndSession(ctx, tok.SessionID); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := e.cache.Get(ctx, key); ok {
		t.Fatal("revocation left the cache entry")
	}
	if err := e.cache.Set(ctx, key, stale, time.Hour); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.VerifyOpaque(ctx, tok.Token)
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenRevoked)
	if b, ok, _ := e.cache.Get(ctx, key); ok && string(b) == string(stale) {
		t.Fatal("the stale live entry is still cached")
	}
}

// Should a revocation reach the store but not the cache (the cache failed
// after the store write), the next write-back learns it from the store.
func TestOpaqueRevocationMissedByTheCacheEndsAtWriteBack(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	tok := e.startOpaque(t, e.svc, "u1")
	if err := e.store.RevokeFamily(ctx, tok.SessionID, e.clock.Now(), "admin"); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(5 * time.Minute)
	_, err := e.svc.VerifyOpaque(ctx, tok.Token)
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenRevoked)
	_, err = e.svc.VerifyOpaque(ctx, tok.Token)
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenRevoked)
}

func TestEndUserSessionsEndsBothKinds(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	tok := e.startOpaque(t, e.svc, "u1")
	pair := e.start(t, "u1")
	if err := e.svc.EndUserSessions(ctx, "u1", "block"); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.VerifyOpaque(ctx, tok.Token)
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenRevoked)
	_, err = e.svc.Verify(ctx, pair.AccessToken, "")
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenRevoked)
	_, err = e.svc.Rotate(ctx, pair.RefreshToken, ports.DeviceInfo{})
	wantRefreshInvalid(t, err)
	// A sign-in after the block ended is a new session that works.
	verifyOpaque(t, e.svc, e.startOpaque(t, e.svc, "u1").Token)
}

func TestUserDeletedEndsEverySessionAndRemovesThem(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	tok := e.startOpaque(t, e.svc, "u1")
	pair := e.start(t, "u1")
	other := e.startOpaque(t, e.svc, "u2")
	if err := e.svc.UserDeleted(ctx, "u1"); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.VerifyOpaque(ctx, tok.Token)
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenInvalid)
	_, err = e.svc.Verify(ctx, pair.AccessToken, "")
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenRevoked)
	if fs, _ := e.store.Families(ctx, "u1"); len(fs) != 0 {
		t.Fatalf("families left: %d", len(fs))
	}
	if ds, _ := e.svc.Devices(ctx, "u1"); len(ds) != 0 {
		t.Fatalf("devices left: %d", len(ds))
	}
	verifyOpaque(t, e.svc, other.Token)
	wantFault(t, e.svc.UserDeleted(ctx, ""), fault.Invalid, "invalid.user_id")
}
