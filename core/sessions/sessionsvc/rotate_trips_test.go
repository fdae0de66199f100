package sessionsvc_test

import (
	"context"
	"fmt"
	"testing"

	"gatehouse/ports"
)

// TestRotateRoundTrips: a rotation reads the token and its family and
// writes once (consume, successor and device in one RotateRefresh), and
// the device records the use.
func TestRotateRoundTrips(t *testing.T) {
	e := newEnv(t, "EdDSA")
	counted := &countingStore{next: e.store}
	svc := e.replica(t, counted, e.cache)
	p := e.start(t, "u1")
	counted.take()
	next, err := svc.Rotate(context.Background(), p.RefreshToken, ports.DeviceInfo{UserAgent: "ua/2", IP: "10.0.0.9"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"Refresh": 1, "Family": 1, "RotateRefresh": 1}
	if got := counted.take(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("store calls %v, want %v", got, want)
	}
	dev, err := e.store.Device(context.Background(), next.DeviceID)
	if err != nil {
		t.Fatal(err)
	}
	if dev.UserAgent != "ua/2" || dev.IP != "10.0.0.9" || !dev.LastSeen.Equal(e.clock.Now()) {
		t.Fatalf("device after the rotation: %+v", dev)
	}
}
