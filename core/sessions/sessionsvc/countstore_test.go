package sessionsvc_test

import (
	"context"
	"crypto/rand"
	"maps"
	"sync"
	"testing"
	"time"

	"gatehouse/core/sessions"
	"gatehouse/core/sessions/sessionsvc"
	"gatehouse/ports"
)

// countingStore passes every call to a SessionStore and counts it by
// method, so tests can prove which checks reach the store. It names every
// method rather than embedding the port, so a new port method fails to
// compile here instead of passing by uncounted.
type countingStore struct {
	next  ports.SessionStore
	mu    sync.Mutex
	calls map[string]int
}

var _ ports.SessionStore = (*countingStore)(nil)

func (c *countingStore) count(method string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.calls == nil {
		c.calls = map[string]int{}
	}
	c.calls[method]++
}

// take returns the calls counted since the last take, and resets them.
func (c *countingStore) take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	got := maps.Clone(c.calls)
	clear(c.calls)
	if got == nil {
		got = map[string]int{}
	}
	return got
}

func (c *countingStore) CreateFamily(ctx context.Context, f sessions.Family) error {
	c.count("CreateFamily")
	return c.next.CreateFamily(ctx, f)
}

func (c *countingStore) Family(ctx context.Context, id string) (sessions.Family, error) {
	c.count("Family")
	return c.next.Family(ctx, id)
}

func (c *countingStore) RevokeFamily(ctx context.Context, id string, at time.Time, reason string) error {
	c.count("RevokeFamily")
	return c.next.RevokeFamily(ctx, id, at, reason)
}

func (c *countingStore) RevokeUserFamilies(ctx context.Context, userID string, at time.Time, reason string) ([]string, error) {
	c.count("RevokeUserFamilies")
	return c.next.RevokeUserFamilies(ctx, userID, at, reason)
}

func (c *countingStore) Families(ctx context.Context, userID string) ([]sessions.Family, error) {
	c.count("Families")
	return c.next.Families(ctx, userID)
}

func (c *countingStore) TouchFamily(ctx context.Context, id string, at time.Time) (sessions.Family, error) {
	c.count("TouchFamily")
	return c.next.TouchFamily(ctx, id, at)
}

func (c *countingStore) RevokedSince(ctx context.Context, since time.Time, limit int) ([]sessions.Family, error) {
	c.count("RevokedSince")
	return c.next.RevokedSince(ctx, since, limit)
}

func (c *countingStore) AddRefresh(ctx context.Context, t sessions.RefreshToken) error {
	c.count("AddRefresh")
	return c.next.AddRefresh(ctx, t)
}

func (c *countingStore) Refresh(ctx context.Context, hash string) (sessions.RefreshToken, error) {
	c.count("Refresh")
	return c.next.Refresh(ctx, hash)
}

func (c *countingStore) ConsumeRefresh(ctx context.Context, hash string, at time.Time) error {
	c.count("ConsumeRefresh")
	return c.next.ConsumeRefresh(ctx, hash, at)
}

func (c *countingStore) RotateRefresh(ctx context.Context, hash string, at time.Time, next sessions.RefreshToken, seen ports.DeviceSeen) error {
	c.count("RotateRefresh")
	return c.next.RotateRefresh(ctx, hash, at, next, seen)
}

func (c *countingStore) SaveDevice(ctx context.Context, d sessions.Device) error {
	c.count("SaveDevice")
	return c.next.SaveDevice(ctx, d)
}

func (c *countingStore) Device(ctx context.Context, id string) (sessions.Device, error) {
	c.count("Device")
	return c.next.Device(ctx, id)
}

func (c *countingStore) Devices(ctx context.Context, userID string) ([]sessions.Device, error) {
	c.count("Devices")
	return c.next.Devices(ctx, userID)
}

func (c *countingStore) DeleteUser(ctx context.Context, userID string) error {
	c.count("DeleteUser")
	return c.next.DeleteUser(ctx, userID)
}

// replica is another Service on e's signer and clock over store and cache:
// with e's own store and cache it stands for a second gatehouse replica.
func (e *env) replica(tb testing.TB, store ports.SessionStore, cache ports.Cache) *sessionsvc.Service {
	tb.Helper()
	svc, err := sessionsvc.New(sessionsvc.Deps{Store: store, Signer: e.signer, Cache: cache, Clock: e.clock,
		Random: rand.Reader, Policy: testPolicy})
	if err != nil {
		tb.Fatal(err)
	}
	return svc
}

func (e *env) startOpaque(tb testing.TB, svc ports.Sessions, user string) ports.OpaqueToken {
	tb.Helper()
	tok, err := svc.StartOpaque(context.Background(), user, ports.DeviceInfo{Name: "Firefox", UserAgent: "ua/1", IP: "10.0.0.1"})
	if err != nil {
		tb.Fatalf("StartOpaque: %v", err)
	}
	return tok
}

func verifyOpaque(tb testing.TB, svc ports.Sessions, token string) sessions.Claims {
	tb.Helper()
	c, err := svc.VerifyOpaque(context.Background(), token)
	if err != nil {
		tb.Fatalf("VerifyOpaque: %v", err)
	}
	return c
}

// racers is how many goroutines race on one token.
const racers = 16

// runRace runs f(0..racers-1) in goroutines released at once.
func runRace(f func(i int)) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range racers {
		wg.Go(func() {
			<-start
			f(i)
		})
	}
	close(start)
	wg.Wait()
}
