package sessionsvc_test

import (
	"context"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

func TestEndDevice(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "EdDSA")
	phone := e.start(t, "u1")
	again, err := e.svc.Start(ctx, "u1", "", ports.DeviceInfo{ID: phone.DeviceID})
	if err != nil {
		t.Fatal(err)
	}
	opaque, err := e.svc.StartOpaque(ctx, "u1", ports.DeviceInfo{ID: phone.DeviceID})
	if err != nil {
		t.Fatal(err)
	}
	laptop := e.start(t, "u1")
	stranger := e.start(t, "u2")

	wantFault(t, e.svc.EndDevice(ctx, "u2", phone.DeviceID), fault.NotFound, sessions.ReasonDeviceNotFound)
	wantFault(t, e.svc.EndDevice(ctx, "u1", "no-such-device"), fault.NotFound, sessions.ReasonDeviceNotFound)
	wantFault(t, e.svc.EndDevice(ctx, "u1", ""), fault.Invalid, "invalid.device_id")
	if _, err := e.svc.Verify(ctx, phone.AccessToken, ""); err != nil {
		t.Fatalf("a refused EndDevice ended a session: %v", err)
	}

	if err := e.svc.EndDevice(ctx, "u1", phone.DeviceID); err != nil {
		t.Fatalf("EndDevice: %v", err)
	}
	for _, tok := range []string{phone.AccessToken, again.AccessToken} {
		_, err := e.svc.Verify(ctx, tok, "")
		wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenRevoked)
	}
	_, err = e.svc.VerifyOpaque(ctx, opaque.Token)
	wantFault(t, err, fault.Unauthenticated, sessions.ReasonTokenRevoked)
	_, err = e.svc.Rotate(ctx, phone.RefreshToken, ports.DeviceInfo{})
	wantRefreshInvalid(t, err)
	for _, p := range []ports.TokenPair{laptop, stranger} {
		if _, err := e.svc.Verify(ctx, p.AccessToken, ""); err != nil {
			t.Fatalf("another device's session ended: %v", err)
		}
	}
	if err := e.svc.EndDevice(ctx, "u1", phone.DeviceID); err != nil {
		t.Fatalf("EndDevice again: %v", err)
	}
}
