package outline_test

import (
	"crypto/rand"
	"testing"

	"gatehouse/adapters/memstore"
	"gatehouse/core/fault"
	"gatehouse/core/vpn"
	"gatehouse/core/vpn/vpnsvc"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

// TestKeyUseCaseWithOutline runs the key use cases against the fake:
// a server that is down answers unavailable and leaves no claim and no
// key; once up the key is made; revoking the subscription removes it at
// the server and its dynamic key stops answering.
func TestKeyUseCaseWithOutline(t *testing.T) {
	f := newFakeOutline(t)
	clock := porttest.NewClock(now)
	cache := memstore.NewCache(clock)
	t.Cleanup(func() { _ = cache.Close() })
	store := memstore.NewVPNStore()
	svc, err := vpnsvc.New(vpnsvc.Deps{Store: store, Cache: cache, Clock: clock, Random: rand.Reader,
		Provisioners: ports.Provisioners{newProvisioner(t)}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	srv, err := svc.AddServer(ctx, serverOf(f))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Grant(ctx, "u1", vpn.Grant{Days: 30, Devices: 1, TrafficLimitBytes: 1 << 30}); err != nil {
		t.Fatal(err)
	}
	dev, err := svc.RegisterDevice(ctx, "u1", "uuid-1", "iPhone 12")
	if err != nil {
		t.Fatal(err)
	}

	f.failAfterCreate = true
	_, err = svc.Key(ctx, "u1", dev.ClientID, srv.ID)
	wantDown(t, err, "Key with the server failing")
	if keys, _ := store.UserKeys(ctx, "u1"); len(keys) != 0 || f.count() != 0 {
		t.Fatalf("half-made key left: store %+v, server holds %d", keys, f.count())
	}
	f.failAfterCreate = false

	k, err := svc.Key(ctx, "u1", dev.ClientID, srv.ID)
	if err != nil {
		t.Fatalf("Key: %v", err)
	}
	at, ok := f.key(k.Material.RemoteID)
	if !ok || at.DataLimit == nil || at.DataLimit.Bytes != 1<<30 || at.Name != "iPhone 12" {
		t.Fatalf("key at the server %+v", at)
	}
	if _, err := svc.DynamicKey(ctx, k.Material.DynamicToken); err != nil {
		t.Fatalf("DynamicKey: %v", err)
	}
	if _, err := svc.RevokeSubscription(ctx, "u1"); err != nil {
		t.Fatal(err)
	}
	if f.count() != 0 {
		t.Fatalf("server still holds %d keys after the subscription was revoked", f.count())
	}
	_, err = svc.DynamicKey(ctx, k.Material.DynamicToken)
	if fault.ReasonOf(err) != vpn.ReasonSubscriptionInactive {
		t.Fatalf("DynamicKey after revocation: %v", err)
	}
}
