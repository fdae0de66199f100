package vpnsvc_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/vpn"
)

func TestKeyNeedsAnActiveSubscription(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, e *env)
	}{
		{"none", func(*testing.T, *env) {}},
		{"expired", func(t *testing.T, e *env) {
			_, err := e.svc.Grant(t.Context(), "u1", vpn.Grant{Days: 1, Devices: 1})
			mustOK(t, err, "Grant")
			e.clock.Advance(25 * time.Hour)
		}},
		{"cancelled", func(t *testing.T, e *env) {
			_, err := e.svc.Grant(t.Context(), "u1", vpn.Grant{Days: 30, Devices: 1})
			mustOK(t, err, "Grant")
			_, err = e.svc.RevokeSubscription(t.Context(), "u1")
			mustOK(t, err, "RevokeSubscription")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			srv := e.addWG(t)
			_, err := e.svc.RegisterDevice(t.Context(), "u1", "uuid-1", "Phone")
			mustOK(t, err, "RegisterDevice")
			tt.setup(t, e)
			_, err = e.svc.Key(t.Context(), "u1", "uuid-1", srv.ID)
			wantFault(t, err, fault.Forbidden, vpn.ReasonSubscriptionInactive, "Key")
		})
	}
}

func TestKeyIsOnePerUserDeviceServer(t *testing.T) {
	e := newEnv(t)
	wg, out := e.addWG(t), e.addOutline(t)
	dev := e.subscriber(t, "u1", 2)
	ctx := t.Context()

	first, err := e.svc.Key(ctx, "u1", fmt.Sprint(dev.ID), wg.ID)
	mustOK(t, err, "Key")
	if !first.Issued() || first.Material.AccessURL == "" || first.Material.DynamicToken == "" {
		t.Fatalf("key not issued whole: %+v", first)
	}
	again, err := e.svc.Key(ctx, "u1", dev.ClientID, wg.ID) // by the client's own id
	mustOK(t, err, "Key again")
	if again.ID != first.ID || again.Material.AccessURL != first.Material.AccessURL {
		t.Fatalf("second request made another key: %s then %s", first.ID, again.ID)
	}
	other, err := e.svc.Key(ctx, "u1", dev.ClientID, out.ID)
	mustOK(t, err, "Key of another server")
	if other.ID == first.ID || other.Protocol != vpn.Outline {
		t.Fatalf("outline key %+v", other)
	}
	if _, made, _ := e.wg.counts(); made != 1 {
		t.Fatalf("wireguard provisioner made %d keys, want 1", made)
	}
	qr, err := e.svc.KeyQR(ctx, "u1", dev.ClientID, wg.ID)
	mustOK(t, err, "KeyQR")
	if string(qr) != "PNG "+first.Material.AccessURL {
		t.Fatalf("QR of %q", qr)
	}

	for _, tt := range []struct {
		name, ref    string
		server       int64
		code         fault.Code
		reason, what string
	}{
		{"unknown device", "uuid-nope", wg.ID, fault.NotFound, vpn.ReasonDeviceNotFound, ""},
		{"another user's device", "uuid-u2", wg.ID, fault.NotFound, vpn.ReasonDeviceNotFound, ""},
		{"empty device", "", wg.ID, fault.NotFound, vpn.ReasonDeviceNotFound, ""},
		{"unknown server", dev.ClientID, 99, fault.NotFound, vpn.ReasonServerNotFound, ""},
	} {
		_, err := e.svc.Key(ctx, "u1", tt.ref, tt.server)
		wantFault(t, err, tt.code, tt.reason, tt.name)
	}
	mustOK(t, e.svc.DisableServer(ctx, wg.ID), "DisableServer")
	_, err = e.svc.Key(ctx, "u1", dev.ClientID, wg.ID)
	wantFault(t, err, fault.NotFound, vpn.ReasonServerDisabled, "disabled server")
}

func TestKeyIsReissuedAfterRevocation(t *testing.T) {
	e := newEnv(t)
	wg := e.addWG(t)
	dev := e.subscriber(t, "u1", 1)
	first, err := e.svc.Key(t.Context(), "u1", dev.ClientID, wg.ID)
	mustOK(t, err, "Key")
	_, err = e.svc.RevokeSubscription(t.Context(), "u1")
	mustOK(t, err, "RevokeSubscription")
	if held, _, gone := e.wg.counts(); held != 0 || gone != 1 {
		t.Fatalf("after revocation the server holds %d keys, removed %d", held, gone)
	}
	_, err = e.svc.Grant(t.Context(), "u1", vpn.Grant{Days: 30, Devices: 1})
	mustOK(t, err, "Grant")
	second, err := e.svc.Key(t.Context(), "u1", dev.ClientID, wg.ID)
	mustOK(t, err, "Key after revocation")
	if second.ID == first.ID || second.Material.RemoteID == first.Material.RemoteID {
		t.Fatalf("revoked key handed out again: %+v", second)
	}
}

func TestConcurrentKeyRequestsMakeOneKey(t *testing.T) {
	e := newEnv(t)
	wg := e.addWG(t)
	dev := e.subscriber(t, "u1", 1)
	const n = 16
	ids := make([]string, n)
	errs := make([]error, n)
	var ready, done sync.WaitGroup
	gate := make(chan struct{})
	for i := range n {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-gate
			k, err := e.svc.Key(t.Context(), "u1", dev.ClientID, wg.ID)
			ids[i], errs[i] = k.ID, err
		}()
	}
	ready.Wait()
	close(gate)
	done.Wait()
	for i := range n {
		mustOK(t, errs[i], "Key")
		if ids[i] != ids[0] {
			t.Fatalf("requests got keys %s and %s", ids[0], ids[i])
		}
	}
	if held, made, _ := e.wg.counts(); held != 1 || made != 1 {
		t.Fatalf("provisioner made %d keys and holds %d, want 1 and 1", made, held)
	}
}

func TestProvisionerDownLeavesNothingBehind(t *testing.T) {
	e := newEnv(t)
	out := e.addOutline(t)
	dev := e.subscriber(t, "u1", 1)
	e.out.setDown(true)
	_, err := e.svc.Key(t.Context(), "u1", dev.ClientID, out.ID)
	wantFault(t, err, fault.Unavailable, vpn.ReasonProvisionerDown, "Key with the server down")
	if keys, _ := e.store.UserKeys(t.Context(), "u1"); len(keys) != 0 {
		t.Fatalf("claim left behind: %+v", keys)
	}
	e.out.setDown(false)
	k, err := e.svc.Key(t.Context(), "u1", dev.ClientID, out.ID)
	mustOK(t, err, "Key with the server back")
	if !k.Issued() {
		t.Fatalf("key %+v", k)
	}
}

func TestAbandonedClaimIsRetaken(t *testing.T) {
	e := newEnv(t)
	wg := e.addWG(t)
	dev := e.subscriber(t, "u1", 1)
	stale := vpn.NewClaim("stale", "u1", dev, wg, "dyn", start)
	mustOK(t, e.store.ClaimKey(t.Context(), stale), "ClaimKey")
	e.clock.Advance(vpn.ClaimTTL)
	k, err := e.svc.Key(t.Context(), "u1", dev.ClientID, wg.ID)
	mustOK(t, err, "Key")
	if k.ID == "stale" || !k.Issued() {
		t.Fatalf("got %+v", k)
	}
}

func TestServersShowCachedCountsAndHideSecrets(t *testing.T) {
	e := newEnv(t)
	wg, out := e.addWG(t), e.addOutline(t)
	off := e.addWG(t)
	mustOK(t, e.svc.DisableServer(t.Context(), off.ID), "DisableServer")
	dev := e.subscriber(t, "u1", 1)
	e.out.conns = 7
	mustOK(t, e.svc.RefreshActive(t.Context()), "RefreshActive")
	e.out.conns = 9 // not fetched by Servers
	list, err := e.svc.Servers(t.Context(), "u1", fmt.Sprint(dev.ID))
	mustOK(t, err, "Servers")
	if len(list) != 2 || list[0].ID != wg.ID || list[1].ID != out.ID {
		t.Fatalf("Servers: %+v", list)
	}
	if list[1].ActiveConnections != 7 || list[1].Outline.APIURL != "" {
		t.Fatalf("outline server as listed: %+v", list[1])
	}
	if _, err := e.svc.Servers(t.Context(), "u1", "0"); err != nil {
		t.Fatalf("Servers without a device: %v", err)
	}
	_, err = e.svc.Servers(t.Context(), "u1", "nope")
	wantFault(t, err, fault.NotFound, vpn.ReasonDeviceNotFound, "Servers of an unknown device")
	all, err := e.svc.ListServers(t.Context())
	mustOK(t, err, "ListServers")
	if len(all) != 3 || all[1].Outline.APIURL == "" {
		t.Fatalf("ListServers: %+v", all)
	}
	if !strings.HasPrefix(all[0].WireGuard.IPv4CIDR, "10.8.0.0/24") || all[0].WireGuard.MTU != 1420 {
		t.Fatalf("wg-easy defaults not filled: %+v", all[0].WireGuard)
	}
}
