package vpnsvc_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/vpn"
)

func TestDeviceLimit(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	// Without a subscription a user may register DefaultDeviceLimit (1) devices.
	_, err := e.svc.RegisterDevice(ctx, "u1", "a", "Phone")
	mustOK(t, err, "first device")
	_, err = e.svc.RegisterDevice(ctx, "u1", "b", "Laptop")
	wantFault(t, err, fault.Forbidden, vpn.ReasonDeviceLimit, "second device without subscription")

	_, err = e.svc.Grant(ctx, "u1", vpn.Grant{Days: 30, Devices: 2})
	mustOK(t, err, "Grant")
	b, err := e.svc.RegisterDevice(ctx, "u1", "b", "Laptop")
	mustOK(t, err, "second device")
	_, err = e.svc.RegisterDevice(ctx, "u1", "c", "Tablet")
	wantFault(t, err, fault.Forbidden, vpn.ReasonDeviceLimit, "third device")
	msg := fault.MessageOf(err)
	if !strings.Contains(msg, "2 devices") || !strings.Contains(msg, "Remove a device") {
		t.Fatalf("limit message %q does not say the limit and how to free a slot", msg)
	}
	again, err := e.svc.RegisterDevice(ctx, "u1", "b", "Laptop 2")
	mustOK(t, err, "known device at the limit")
	if again.ID != b.ID || again.Name != "Laptop 2" {
		t.Fatalf("known device re-registered as %+v", again)
	}
	_, err = e.svc.RegisterDevice(ctx, "u1", " ", "x")
	wantFault(t, err, fault.Invalid, "invalid.device_id", "empty device id")

	mustOK(t, e.svc.RemoveDevice(ctx, "u1", b.ID), "RemoveDevice")
	_, err = e.svc.RegisterDevice(ctx, "u1", "c", "Tablet")
	mustOK(t, err, "device in the freed slot")
	wantFault(t, e.svc.RemoveDevice(ctx, "u2", b.ID), fault.NotFound, vpn.ReasonDeviceNotFound, "remove unknown")
}

func TestConcurrentRegistrationsStayWithinTheLimit(t *testing.T) {
	e := newEnv(t)
	_, err := e.svc.Grant(t.Context(), "u1", vpn.Grant{Days: 30, Devices: 3})
	mustOK(t, err, "Grant")
	const n = 20
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.svc.RegisterDevice(t.Context(), "u1", fmt.Sprint("client-", i), "Phone")
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		}
	}
	devs, err := e.svc.Devices(t.Context(), "u1")
	mustOK(t, err, "Devices")
	if won != 3 || len(devs) != 3 {
		t.Fatalf("%d registrations won, %d devices; want 3", won, len(devs))
	}
}

func TestRemoveDeviceRevokesItsKeys(t *testing.T) {
	e := newEnv(t)
	wg, out := e.addWG(t), e.addOutline(t)
	dev := e.subscriber(t, "u1", 2)
	other, err := e.svc.RegisterDevice(t.Context(), "u1", "laptop", "Laptop")
	mustOK(t, err, "RegisterDevice")
	for _, ref := range []string{dev.ClientID, other.ClientID} {
		for _, srv := range []int64{wg.ID, out.ID} {
			_, err := e.svc.Key(t.Context(), "u1", ref, srv)
			mustOK(t, err, "Key")
		}
	}
	e.wg.setDown(true)
	wantFault(t, e.svc.RemoveDevice(t.Context(), "u1", dev.ID), fault.Unavailable, vpn.ReasonProvisionerDown, "server down")
	if _, err := e.svc.Devices(t.Context(), "u1"); err != nil {
		t.Fatal(err)
	}
	e.wg.setDown(false)
	mustOK(t, e.svc.RemoveDevice(t.Context(), "u1", dev.ID), "RemoveDevice")
	keys, err := e.svc.Keys(t.Context(), "u1")
	mustOK(t, err, "Keys")
	if len(keys) != 2 || keys[0].DeviceID != other.ID || keys[1].DeviceID != other.ID {
		t.Fatalf("keys left: %+v", keys)
	}
	if held, _, _ := e.wg.counts(); held != 1 {
		t.Fatalf("wireguard server holds %d keys, want 1", held)
	}
	if held, _, _ := e.out.counts(); held != 1 {
		t.Fatalf("outline server holds %d keys, want 1", held)
	}
}
