package sessionsvc_test

import (
	"context"
	"maps"
	"testing"
	"time"

	"gatehouse/adapters/memstore"
	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

const day = 24 * time.Hour

// flushedCache is an empty cache on e's clock: a replica given it sees the
// store as after a cache flush.
func flushedCache(tb testing.TB, e *env) ports.Cache {
	tb.Helper()
	c := memstore.NewCache(e.clock)
	tb.Cleanup(func() { _ = c.Close() })
	return c
}

// flip changes the first character of a token.
func flip(token string) string {
	if token[0] == 'A' {
		return "B" + token[1:]
	}
	return "A" + token[1:]
}

func TestStartOpaque(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	tok := e.startOpaque(t, e.svc, "u1")
	now := e.clock.Now()
	if len(tok.Token) != 43 || tok.SessionID == "" || tok.DeviceID == "" || !tok.ExpiresAt.Equal(now.Add(7*day)) {
		t.Fatalf("token = %+v", tok)
	}
	c := verifyOpaque(t, e.svc, tok.Token)
	if c.Subject != "u1" || c.SessionID != tok.SessionID || c.ID != tok.SessionID || c.Audience != "app" ||
		c.Issuer != testPolicy.Issuer || !c.IssuedAt.Equal(now) || !c.ExpiresAt.Equal(tok.ExpiresAt) {
		t.Fatalf("claims = %+v", c)
	}
	// Only the hash is stored, on an opaque family bound to the device.
	hash := sessions.HashRefresh(tok.Token)
	if _, err := e.store.Refresh(ctx, tok.Token); !fault.Is(err, fault.NotFound) {
		t.Fatalf("token stored in clear: %v", err)
	}
	f, err := e.store.Family(ctx, tok.SessionID)
	if err != nil || f.Kind != sessions.KindOpaque || f.TokenHash != hash || f.DeviceID != tok.DeviceID ||
		!f.ExpiresAt.Equal(now.Add(30*day)) || !f.LastUsedAt.Equal(now) {
		t.Fatalf("family = %+v, %v", f, err)
	}
	if r, err := e.store.Refresh(ctx, hash); err != nil || r.FamilyID != tok.SessionID {
		t.Fatalf("token record = %+v, %v", r, err)
	}
	d, err := e.store.Device(ctx, tok.DeviceID)
	if err != nil || d.UserID != "u1" || d.Name != "Firefox" || d.UserAgent != "ua/1" {
		t.Fatalf("device = %+v, %v", d, err)
	}
	_, err = e.svc.StartOpaque(ctx, "", ports.DeviceInfo{})
	wantFault(t, err, fault.Invalid, "invalid.user_id")
}

func TestStartOpaqueDevices(t *testing.T) {
	e := newEnv(t, "EdDSA")
	own := e.startOpaque(t, e.svc, "u1")
	other := e.start(t, "u2")
	tests := []struct {
		name    string
		id      string
		sameDev bool
	}{
		{"own device is reused", own.DeviceID, true},
		{"empty id is a new device", "", false},
		{"another user's device is not adopted", other.DeviceID, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := e.svc.StartOpaque(context.Background(), "u1", ports.DeviceInfo{ID: tt.id, Name: "Chrome"})
			if err != nil {
				t.Fatal(err)
			}
			if got := tok.DeviceID == own.DeviceID; got != tt.sameDev || (!tt.sameDev && tok.DeviceID == tt.id) {
				t.Fatalf("device %s (asked %q, own %s): same = %v, want %v", tok.DeviceID, tt.id, own.DeviceID, got, tt.sameDev)
			}
		})
	}
}

func TestVerifyOpaqueRefuses(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	tok := e.startOpaque(t, e.svc, "u1")
	pair := e.start(t, "u1")
	tests := map[string]string{
		"empty":                         "",
		"short":                         "abc",
		"unknown":                       "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"one character longer":          tok.Token + "A",
		"not base64url":                 tok.Token[:42] + ".",
		"a refresh token":               pair.RefreshToken,
		"an access token":               pair.AccessToken,
		"the session id":                tok.SessionID,
		"the hash of a token":           sessions.HashRefresh(tok.Token),
		"a token with a trailing space": tok.Token[:42] + " ",
		"a token with an embedded zero": tok.Token[:42] + "\x00",
		"the bearer scheme left on it":  "Bearer " + tok.Token,
		"one character changed":         flip(tok.Token),
	}
	for name, token := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := e.svc.VerifyOpaque(ctx, token)
			wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenInvalid)
		})
	}
	// An opaque token is not a refresh token nor an access token either.
	_, err := e.svc.Rotate(ctx, tok.Token, ports.DeviceInfo{})
	wantRefreshInvalid(t, err)
	_, err = e.svc.Verify(ctx, tok.Token, "")
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenInvalid)
	verifyOpaque(t, e.svc, tok.Token)
}

func TestOpaqueSlidesUpToItsCap(t *testing.T) {
	e := newEnv(t, "EdDSA")
	start := e.clock.Now()
	tok := e.startOpaque(t, e.svc, "u1")
	// A use every 6 days keeps it alive, each sliding its end, until the cap.
	for e.clock.Now().Add(6 * day).Before(start.Add(30 * day)) {
		e.clock.Advance(6 * day)
		c := verifyOpaque(t, e.svc, tok.Token)
		want := e.clock.Now().Add(7 * day)
		if end := start.Add(30 * day); end.Before(want) {
			want = end
		}
		if !c.ExpiresAt.Equal(want) {
			t.Fatalf("at %s: expires %v, want %v", e.clock.Now().Sub(start), c.ExpiresAt, want)
		}
	}
	e.clock.Advance(start.Add(30 * day).Sub(e.clock.Now()))
	_, err := e.svc.VerifyOpaque(context.Background(), tok.Token)
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenExpired)
}

func TestOpaqueIdleExpiry(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	idle := e.startOpaque(t, e.svc, "u1")
	used := e.startOpaque(t, e.svc, "u1")
	// A use a second before the idle end slides it a week from that use...
	e.clock.Advance(7*day - time.Second)
	verifyOpaque(t, e.svc, used.Token)
	e.clock.Advance(7*day - time.Second)
	verifyOpaque(t, e.svc, used.Token)
	// ...while an unused session ended at its first idle end.
	_, err := e.svc.VerifyOpaque(ctx, idle.Token)
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenExpired)
	e.clock.Advance(7 * day)
	_, err = e.svc.VerifyOpaque(ctx, used.Token)
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenExpired)
	// Uses closer together than the write-back interval are recorded once:
	// the idle end counts from the recorded use, at most that much early.
	fresh := e.startOpaque(t, e.svc, "u1")
	e.clock.Advance(time.Minute)
	verifyOpaque(t, e.svc, fresh.Token)
	e.clock.Advance(7*day - time.Minute)
	_, err = e.svc.VerifyOpaque(ctx, fresh.Token)
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenExpired)
}

func TestOpaqueExpiryHoldsWithoutTheCache(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	tok := e.startOpaque(t, e.svc, "u1")
	e.clock.Advance(6 * day)
	verifyOpaque(t, e.svc, tok.Token) // written back: the store knows this use
	// After a flush the store alone decides, and agrees with the cache.
	flushed := e.replica(t, e.store, flushedCache(t, e))
	e.clock.Advance(7*day - time.Second)
	if c := verifyOpaque(t, flushed, tok.Token); c.SessionID != tok.SessionID {
		t.Fatalf("claims after a flush = %+v", c)
	}
	// That use was written back as well; a second flush still sees it.
	e.clock.Advance(7*day - time.Second)
	verifyOpaque(t, e.replica(t, e.store, flushedCache(t, e)), tok.Token)
	e.clock.Advance(7 * day)
	_, err := e.replica(t, e.store, flushedCache(t, e)).VerifyOpaque(ctx, tok.Token)
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenExpired)
}

func TestWarmOpaqueVerifyMakesNoStoreCalls(t *testing.T) {
	e := newEnv(t, "EdDSA")
	store := &countingStore{next: e.store}
	svc := e.replica(t, store, e.cache)
	tok := e.startOpaque(t, svc, "u1")
	store.take()
	// Warm: many checks inside one write-back interval reach no store.
	for range 100 {
		e.clock.Advance(2 * time.Second)
		verifyOpaque(t, svc, tok.Token)
	}
	if got := store.take(); len(got) != 0 {
		t.Fatalf("warm checks called the store: %v", got)
	}
	// Once per interval one check writes the use back (and the device's).
	e.clock.Advance(5 * time.Minute)
	for range 10 {
		verifyOpaque(t, svc, tok.Token)
	}
	want := map[string]int{"TouchFamily": 1, "Device": 1, "SaveDevice": 1}
	if got := store.take(); !maps.Equal(got, want) {
		t.Fatalf("store calls at the write-back = %v, want %v", got, want)
	}
	if d, _ := e.store.Device(context.Background(), tok.DeviceID); !d.LastSeen.Equal(e.clock.Now()) {
		t.Fatalf("device last seen %v, want %v", d.LastSeen, e.clock.Now())
	}
	// Cold: a flushed cache costs one lookup, then the cache serves again.
	cold := e.replica(t, store, flushedCache(t, e))
	for range 10 {
		verifyOpaque(t, cold, tok.Token)
	}
	want = map[string]int{"Refresh": 1, "Family": 1}
	if got := store.take(); !maps.Equal(got, want) {
		t.Fatalf("store calls after a flush = %v, want %v", got, want)
	}
}

func TestOpaqueConcurrentVerify(t *testing.T) {
	e := newEnv(t, "EdDSA")
	store := &countingStore{next: e.store}
	tok := e.startOpaque(t, e.svc, "u1")
	for _, phase := range []struct {
		name    string
		svc     ports.Sessions
		advance time.Duration
		touches int
	}{
		{"warm", e.replica(t, store, e.cache), time.Minute, 0},
		{"cold", e.replica(t, store, flushedCache(t, e)), time.Minute, 0},
		{"write-back due", e.replica(t, store, e.cache), 10 * time.Minute, 1},
	} {
		e.clock.Advance(phase.advance)
		store.take()
		claims := make([]sessions.Claims, racers)
		errs := make([]error, racers)
		runRace(func(i int) { claims[i], errs[i] = phase.svc.VerifyOpaque(context.Background(), tok.Token) })
		for i, err := range errs {
			if err != nil || claims[i].SessionID != tok.SessionID || claims[i].Subject != "u1" {
				t.Fatalf("%s: check %d = %+v, %v", phase.name, i, claims[i], err)
			}
		}
		if got := store.take()["TouchFamily"]; got != phase.touches {
			t.Fatalf("%s: %d write-backs, want %d", phase.name, got, phase.touches)
		}
	}
}

func TestVerifyOpaqueFailsClosedWithoutCache(t *testing.T) {
	e := newEnv(t, "EdDSA")
	tok := e.startOpaque(t, e.svc, "u1")
	_, err := e.replica(t, e.store, failingCache{e.cache}).VerifyOpaque(context.Background(), tok.Token)
	wantFault(t, err, fault.Unavailable, "sessions.cache_unavailable")
}

func TestOpaqueOfDeletedUserEndsAtWriteBack(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	tok := e.startOpaque(t, e.svc, "u1")
	if err := e.store.DeleteUser(ctx, "u1"); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(5 * time.Minute)
	_, err := e.svc.VerifyOpaque(ctx, tok.Token)
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenInvalid)
	_, err = e.svc.VerifyOpaque(ctx, tok.Token)
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenInvalid)
}
