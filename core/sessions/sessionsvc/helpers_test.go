package sessionsvc_test

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"gatehouse/adapters/jwtsign"
	"gatehouse/adapters/memstore"
	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/core/sessions/sessionsvc"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

// env is one Service on memstore with a real signer.
type env struct {
	svc    *sessionsvc.Service
	store  *memstore.SessionStore
	signer *jwtsign.Signer
	cache  ports.Cache
	clock  *porttest.Clock
}

var testPolicy = sessions.Policy{Issuer: "https://gatehouse.test", Audience: "app"}

func newEnv(tb testing.TB, alg string) *env {
	tb.Helper()
	clock := porttest.NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	cache := memstore.NewCache(clock)
	tb.Cleanup(func() { _ = cache.Close() })
	signer, err := jwtsign.New(jwtsign.Options{Algorithm: alg, Issuer: testPolicy.Issuer},
		memstore.NewKeyStore(), clock)
	if err != nil {
		tb.Fatal(err)
	}
	if err := signer.Start(context.Background()); err != nil {
		tb.Fatal(err)
	}
	store := memstore.NewSessionStore()
	svc, err := sessionsvc.New(sessionsvc.Deps{Store: store, Signer: signer, Cache: cache, Clock: clock,
		Random: rand.Reader, Policy: testPolicy})
	if err != nil {
		tb.Fatal(err)
	}
	return &env{svc: svc, store: store, signer: signer, cache: cache, clock: clock}
}

func (e *env) start(tb testing.TB, user string) ports.TokenPair {
	tb.Helper()
	p, err := e.svc.Start(context.Background(), user, "", ports.DeviceInfo{Name: "phone", UserAgent: "ua/1", IP: "10.0.0.1"})
	if err != nil {
		tb.Fatalf("Start: %v", err)
	}
	return p
}

func (e *env) rotate(tb testing.TB, refresh string) ports.TokenPair {
	tb.Helper()
	p, err := e.svc.Rotate(context.Background(), refresh, ports.DeviceInfo{})
	if err != nil {
		tb.Fatalf("Rotate: %v", err)
	}
	return p
}

// wantFault fails unless err has code and reason.
func wantFault(tb testing.TB, err error, code fault.Code, reason string) {
	tb.Helper()
	if fault.CodeOf(err) != code || fault.ReasonOf(err) != reason {
		tb.Fatalf("err = %v, want %s %s", err, code, reason)
	}
}

func wantRefreshInvalid(tb testing.TB, err error) {
	tb.Helper()
	wantFault(tb, err, fault.Unauthenticated, sessions.ReasonRefreshInvalid)
}
