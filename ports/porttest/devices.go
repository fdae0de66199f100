package porttest

import (
	"reflect"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

func deviceSave(t *testing.T, s ports.SessionStore) {
	d := device("d1", "u1", 1)
	must(t, s.SaveDevice(t.Context(), d), "SaveDevice")
	got, err := s.Device(t.Context(), "d1")
	must(t, err, "Device")
	wantEqual(t, got, d, normDevice, "Device")

	d.Name, d.UserAgent, d.IP, d.LastSeen = "renamed", "curl/8", "192.0.2.7", at(5)
	must(t, s.SaveDevice(t.Context(), d), "SaveDevice replacing")
	got, err = s.Device(t.Context(), "d1")
	must(t, err, "Device")
	wantEqual(t, got, d, normDevice, "Device after replace")
	list, err := s.Devices(t.Context(), "u1")
	must(t, err, "Devices")
	if len(list) != 1 {
		t.Fatalf("Devices after a replace: %d, want 1", len(list))
	}

	_, err = s.Device(t.Context(), "nope")
	wantFault(t, err, fault.NotFound, sessions.ReasonDeviceNotFound, "Device of an unknown ID")
}

func deviceList(t *testing.T, s ports.SessionStore) {
	for _, d := range []sessions.Device{device("a", "u1", 3), device("b", "u1", 1), device("c", "u1", 2), device("x", "u2", 9)} {
		must(t, s.SaveDevice(t.Context(), d), "SaveDevice "+d.ID)
	}
	must(t, s.SaveDevice(t.Context(), device("b", "u1", 7)), "SaveDevice seen again")
	got, err := s.Devices(t.Context(), "u1")
	must(t, err, "Devices")
	var ids []string
	for _, d := range got {
		ids = append(ids, d.ID)
	}
	if !reflect.DeepEqual(ids, []string{"b", "a", "c"}) {
		t.Fatalf("Devices order %q, want [b a c]", ids)
	}
	wantEqual(t, got[0], device("b", "u1", 7), normDevice, "listed device")
	got, err = s.Devices(t.Context(), "nobody")
	must(t, err, "Devices of an unknown user")
	if len(got) != 0 {
		t.Fatalf("Devices of an unknown user: %d, want 0", len(got))
	}
}

func sessionDeleteUser(t *testing.T, s ports.SessionStore) {
	for _, u := range []string{"u1", "u2"} {
		must(t, s.CreateFamily(t.Context(), family("f-"+u, u, 1)), "CreateFamily")
		must(t, s.AddRefresh(t.Context(), refresh("h-"+u, "f-"+u, u, 1)), "AddRefresh")
		must(t, s.SaveDevice(t.Context(), device("d-"+u, u, 1)), "SaveDevice")
	}
	must(t, s.DeleteUser(t.Context(), "u1"), "DeleteUser")
	must(t, s.DeleteUser(t.Context(), "nobody"), "DeleteUser of an unknown user")

	_, err := s.Family(t.Context(), "f-u1")
	wantFault(t, err, fault.NotFound, sessions.ReasonFamilyNotFound, "Family after DeleteUser")
	_, err = s.Refresh(t.Context(), "h-u1")
	wantFault(t, err, fault.NotFound, sessions.ReasonRefreshNotFound, "Refresh after DeleteUser")
	_, err = s.Device(t.Context(), "d-u1")
	wantFault(t, err, fault.NotFound, sessions.ReasonDeviceNotFound, "Device after DeleteUser")
	fams, err := s.Families(t.Context(), "u1")
	must(t, err, "Families")
	devs, err := s.Devices(t.Context(), "u1")
	must(t, err, "Devices")
	if len(fams) != 0 || len(devs) != 0 {
		t.Fatalf("after DeleteUser: %d families and %d devices, want none", len(fams), len(devs))
	}

	_, err = s.Family(t.Context(), "f-u2")
	must(t, err, "Family of the other user")
	_, err = s.Refresh(t.Context(), "h-u2")
	must(t, err, "Refresh of the other user")
	_, err = s.Device(t.Context(), "d-u2")
	must(t, err, "Device of the other user")
}
