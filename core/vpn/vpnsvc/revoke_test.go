package vpnsvc_test

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"gatehouse/adapters/memstore"
	"gatehouse/core/vpn"
	"gatehouse/core/vpn/vpnsvc"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

// msStore keeps subscription times to the millisecond, as sqlitestore does.
type msStore struct{ *memstore.VPNStore }

func (s msStore) SaveSubscription(ctx context.Context, sub vpn.Subscription) error {
	for _, t := range []*time.Time{&sub.StartedAt, &sub.ExpiresAt, &sub.UpdatedAt, &sub.SettledAt} {
		*t = t.Truncate(time.Millisecond)
	}
	return s.VPNStore.SaveSubscription(ctx, sub)
}

// TestRevokeRevokesAtOnceOnACoarseStore revokes a subscription at an
// instant finer than the store keeps: its keys are still revoked at once.
func TestRevokeRevokesAtOnceOnACoarseStore(t *testing.T) {
	ctx := t.Context()
	clock := porttest.NewClock(time.Date(2025, 5, 1, 10, 0, 0, 123456789, time.UTC))
	cache := memstore.NewCache(clock)
	t.Cleanup(func() { _ = cache.Close() })
	out := newFake(vpn.Outline)
	svc, err := vpnsvc.New(vpnsvc.Deps{Store: msStore{memstore.NewVPNStore()}, Cache: cache, Clock: clock,
		Random: rand.Reader, Provisioners: ports.Provisioners{out}})
	mustOK(t, err, "New")
	srv, err := svc.AddServer(ctx, vpn.Server{Country: "DE", City: "Frankfurt", Endpoint: "fra.example.net:443",
		Protocol: vpn.Outline, Enabled: true, Outline: vpn.OutlineSettings{APIURL: "https://203.0.113.9:8081/secret",
			CertSHA256: "5C9A1E2F0B7D8C6A4E3F2A1B0C9D8E7F6A5B4C3D2E1F0A9B8C7D6E5F4A3B2C1D"}})
	mustOK(t, err, "AddServer")
	_, err = svc.Grant(ctx, "u1", vpn.Grant{Days: 30, Devices: 1})
	mustOK(t, err, "Grant")
	dev, err := svc.RegisterDevice(ctx, "u1", "uuid-u1", "Pixel")
	mustOK(t, err, "RegisterDevice")
	_, err = svc.Key(ctx, "u1", dev.ClientID, srv.ID)
	mustOK(t, err, "Key")
	clock.Advance(time.Hour + 987654*time.Nanosecond)
	_, err = svc.RevokeSubscription(ctx, "u1")
	mustOK(t, err, "RevokeSubscription")
	if held, _, _ := out.counts(); held != 0 {
		t.Fatalf("the server still holds %d keys after the revoke", held)
	}
}
