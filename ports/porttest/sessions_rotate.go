package porttest

import (
	"fmt"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// refreshRotate: a rotation consumes, stores the successor and touches the
// device; a second one is a reuse that changes nothing; an unknown hash is
// not found.
func refreshRotate(t *testing.T, s ports.SessionStore) {
	must(t, s.AddRefresh(t.Context(), refresh("h1", "f1", "u1", 1)), "AddRefresh")
	d := device("d1", "u1", 1)
	must(t, s.SaveDevice(t.Context(), d), "SaveDevice")
	next := refresh("h2", "f1", "u1", 2)
	seen := ports.DeviceSeen{ID: "d1", UserAgent: "curl/8", IP: "192.0.2.7", At: at(5)}
	must(t, s.RotateRefresh(t.Context(), "h1", at(5), next, seen), "RotateRefresh")

	got, err := s.Refresh(t.Context(), "h2")
	must(t, err, "Refresh of the successor")
	wantEqual(t, got, next, normRefresh, "the successor")
	wantFault(t, s.ConsumeRefresh(t.Context(), "h1", at(6)), fault.Conflict, sessions.ReasonRefreshReused, "ConsumeRefresh of a rotated token")
	dev, err := s.Device(t.Context(), "d1")
	must(t, err, "Device")
	want := d.Seen("", "curl/8", "192.0.2.7", at(5))
	wantEqual(t, dev, want, normDevice, "the device after the rotation")

	// A reuse changes nothing: no successor, the device untouched.
	again := refresh("h3", "f1", "u1", 2)
	err = s.RotateRefresh(t.Context(), "h1", at(7), again, ports.DeviceSeen{ID: "d1", Name: "thief", At: at(7)})
	wantFault(t, err, fault.Conflict, sessions.ReasonRefreshReused, "RotateRefresh of a rotated token")
	_, err = s.Refresh(t.Context(), "h3")
	wantFault(t, err, fault.NotFound, sessions.ReasonRefreshNotFound, "the successor of a refused rotation")
	dev, err = s.Device(t.Context(), "d1")
	must(t, err, "Device")
	wantEqual(t, dev, want, normDevice, "the device after a refused rotation")

	err = s.RotateRefresh(t.Context(), "nope", at(7), refresh("h4", "f1", "u1", 2), ports.DeviceSeen{})
	wantFault(t, err, fault.NotFound, sessions.ReasonRefreshNotFound, "RotateRefresh of an unknown hash")
	_, err = s.Refresh(t.Context(), "h4")
	wantFault(t, err, fault.NotFound, sessions.ReasonRefreshNotFound, "the successor of an unknown hash")
}

// refreshRotateDevice: the device's last use only moves forward, empty
// values keep the stored ones, and an absent or unnamed device is skipped.
func refreshRotateDevice(t *testing.T, s ports.SessionStore) {
	d := device("d1", "u1", 10)
	must(t, s.SaveDevice(t.Context(), d), "SaveDevice")
	renamed := d.Seen("renamed", "", "", at(3))
	later := renamed.Seen("", "", "", at(20))
	tests := []struct {
		seen ports.DeviceSeen
		want sessions.Device
	}{
		{ports.DeviceSeen{ID: "d1", Name: "renamed", At: at(3)}, renamed}, // earlier: name only
		{ports.DeviceSeen{ID: "d1", At: at(20)}, later},
		{ports.DeviceSeen{ID: "absent", Name: "x", At: at(30)}, later},
		{ports.DeviceSeen{Name: "x", At: at(30)}, later},
	}
	for i, tt := range tests {
		hash, next := fmt.Sprintf("h%d", i), fmt.Sprintf("h%d", i+1)
		if i == 0 {
			must(t, s.AddRefresh(t.Context(), refresh(hash, "f1", "u1", 1)), "AddRefresh")
		}
		must(t, s.RotateRefresh(t.Context(), hash, at(i), refresh(next, "f1", "u1", i+2), tt.seen), "RotateRefresh")
		got, err := s.Device(t.Context(), "d1")
		must(t, err, "Device")
		wantEqual(t, got, tt.want, normDevice, fmt.Sprintf("device after rotation %d", i))
	}
}

// refreshRotateRace: of concurrent rotations of one token exactly one
// wins, and only its successor is stored.
func refreshRotateRace(t *testing.T, s ports.SessionStore) {
	for i := range 3 {
		hash := fmt.Sprintf("hash-%d", i)
		must(t, s.AddRefresh(t.Context(), refresh(hash, "f1", "u1", i+1)), "AddRefresh")
		errs := race(racers, func(r int) error {
			return s.RotateRefresh(t.Context(), hash, at(9), refresh(fmt.Sprintf("%s-next-%d", hash, r), "f1", "u1", i+2), ports.DeviceSeen{})
		})
		winner := oneWinner(t, errs, fault.Conflict, sessions.ReasonRefreshReused)
		for r := range racers {
			_, err := s.Refresh(t.Context(), fmt.Sprintf("%s-next-%d", hash, r))
			if r == winner {
				must(t, err, "the winner's successor")
			} else {
				wantFault(t, err, fault.NotFound, sessions.ReasonRefreshNotFound, "a loser's successor")
			}
		}
	}
}
