package porttest

import (
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/vpn"
	"gatehouse/ports"
)

// vdev is a device of user with the client's id, registered n minutes after base.
func vdev(user, client string, n int) vpn.Device {
	return vpn.Device{UserID: user, ClientID: client, Name: "Phone " + client, CreatedAt: at(n), LastSeen: at(n)}
}

func normVPNDevice(d vpn.Device) vpn.Device {
	d.CreatedAt, d.LastSeen = ms(d.CreatedAt), ms(d.LastSeen)
	return d
}

func addDevice(tb testing.TB, s ports.VPNStore, d vpn.Device, limit int) vpn.Device {
	tb.Helper()
	got, err := s.AddDevice(tb.Context(), d, limit)
	must(tb, err, "AddDevice "+d.ClientID)
	return got
}

func vpnDevices(t *testing.T, s ports.VPNStore) {
	ctx := t.Context()
	a := addDevice(t, s, vdev("u1", "uuid-a", 0), 2)
	b := addDevice(t, s, vdev("u2", "uuid-a", 1), 2) // same client id, other user
	c := addDevice(t, s, vdev("u1", "uuid-c", 2), 2)
	if a.ID < 1 || a.ID == b.ID || a.ID == c.ID || b.ID == c.ID {
		t.Fatalf("IDs %d %d %d: want distinct, from 1", a.ID, b.ID, c.ID)
	}
	want := vdev("u1", "uuid-a", 0)
	want.ID = a.ID
	wantEqual(t, a, want, normVPNDevice, "added")

	// The same client again is the same device, renamed and seen, even at the limit.
	again := vdev("u1", "uuid-a", 9)
	again.Name = "Renamed"
	got, err := s.AddDevice(ctx, again, 2)
	must(t, err, "AddDevice again")
	want.Name, want.LastSeen = "Renamed", at(9)
	wantEqual(t, got, want, normVPNDevice, "again")

	_, err = s.AddDevice(ctx, vdev("u1", "uuid-x", 10), 2)
	wantFault(t, err, fault.Forbidden, vpn.ReasonDeviceLimit, "beyond the limit")

	got, err = s.Device(ctx, "u1", a.ID)
	must(t, err, "Device")
	wantEqual(t, got, want, normVPNDevice, "Device")
	got, err = s.DeviceByClientID(ctx, "u1", "uuid-a")
	must(t, err, "DeviceByClientID")
	wantEqual(t, got, want, normVPNDevice, "DeviceByClientID")
	_, err = s.Device(ctx, "u2", a.ID)
	wantFault(t, err, fault.NotFound, vpn.ReasonDeviceNotFound, "another user's device")
	_, err = s.DeviceByClientID(ctx, "u1", "uuid-x")
	wantFault(t, err, fault.NotFound, vpn.ReasonDeviceNotFound, "unknown client id")

	list, err := s.Devices(ctx, "u1")
	must(t, err, "Devices")
	if len(list) != 2 || list[0].ID != a.ID || list[1].ID != c.ID {
		t.Fatalf("Devices: got %+v, want %d then %d", list, a.ID, c.ID)
	}
}

func vpnDeviceRemove(t *testing.T, s ports.VPNStore) {
	ctx := t.Context()
	a := addDevice(t, s, vdev("u1", "a", 0), 1)
	_, err := s.AddDevice(ctx, vdev("u1", "b", 1), 1)
	wantFault(t, err, fault.Forbidden, vpn.ReasonDeviceLimit, "full")
	wantFault(t, s.RemoveDevice(ctx, "u2", a.ID), fault.NotFound, vpn.ReasonDeviceNotFound, "remove another's")
	must(t, s.RemoveDevice(ctx, "u1", a.ID), "RemoveDevice")
	wantFault(t, s.RemoveDevice(ctx, "u1", a.ID), fault.NotFound, vpn.ReasonDeviceNotFound, "remove twice")
	b := addDevice(t, s, vdev("u1", "b", 2), 1)
	if b.ID == a.ID {
		t.Fatalf("device ID %d given twice", b.ID)
	}
	a2 := addDevice(t, s, vdev("u2", "a", 3), 1)
	if a2.ID == a.ID || a2.ID == b.ID {
		t.Fatalf("device ID %d given twice", a2.ID)
	}
}

func vpnDeviceRace(t *testing.T, s ports.VPNStore) {
	const limit = 3
	errs := race(racers, func(i int) error {
		_, err := s.AddDevice(t.Context(), vdev("u1", "client-"+string(rune('a'+i)), i), limit)
		return err
	})
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		wantFault(t, err, fault.Forbidden, vpn.ReasonDeviceLimit, "losing AddDevice")
	}
	list, err := s.Devices(t.Context(), "u1")
	must(t, err, "Devices")
	if won != limit || len(list) != limit {
		t.Fatalf("%d registrations succeeded and %d devices stored; want %d", won, len(list), limit)
	}
}

func vpnDeviceSameRace(t *testing.T, s ports.VPNStore) {
	ids := make([]int64, racers)
	errs := race(racers, func(i int) error {
		d, err := s.AddDevice(t.Context(), vdev("u1", "same", i), 5)
		ids[i] = d.ID
		return err
	})
	for i, err := range errs {
		must(t, err, "AddDevice")
		if ids[i] != ids[0] {
			t.Fatalf("AddDevice of one client ID gave IDs %d and %d", ids[0], ids[i])
		}
	}
	list, err := s.Devices(t.Context(), "u1")
	must(t, err, "Devices")
	if len(list) != 1 {
		t.Fatalf("%d devices stored, want 1", len(list))
	}
}
