package sessions_test

import (
	"testing"
	"time"

	"gatehouse/core/sessions"
)

func TestDeviceSeen(t *testing.T) {
	d := sessions.NewDevice("d1", "u1", "Pixel", "okhttp", "10.0.0.1", t0)
	later := t0.Add(time.Hour)
	tests := []struct {
		name       string
		nm, ua, ip string
		now        time.Time
		want       sessions.Device
	}{
		{"nothing new", "", "", "", later, sessions.Device{Name: "Pixel", UserAgent: "okhttp", IP: "10.0.0.1", LastSeen: later}},
		{"all new", "Pixel 9", "curl", "10.0.0.2", later, sessions.Device{Name: "Pixel 9", UserAgent: "curl", IP: "10.0.0.2", LastSeen: later}},
		{"clock behind keeps last seen", "", "", "", t0.Add(-time.Hour), sessions.Device{Name: "Pixel", UserAgent: "okhttp", IP: "10.0.0.1", LastSeen: t0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := d.Seen(tt.nm, tt.ua, tt.ip, tt.now)
			if got.Name != tt.want.Name || got.UserAgent != tt.want.UserAgent || got.IP != tt.want.IP ||
				!got.LastSeen.Equal(tt.want.LastSeen) || got.ID != "d1" || got.UserID != "u1" || !got.CreatedAt.Equal(t0) {
				t.Fatalf("Seen = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestDeviceUsableBy(t *testing.T) {
	tests := []struct {
		d    sessions.Device
		user string
		want bool
	}{
		{sessions.Device{ID: "d1", UserID: "u1"}, "u1", true},
		{sessions.Device{ID: "d1", UserID: "u1"}, "u2", false},
		{sessions.Device{UserID: "u1"}, "u1", false},
	}
	for _, tt := range tests {
		if got := tt.d.UsableBy(tt.user); got != tt.want {
			t.Errorf("%+v.UsableBy(%q) = %v, want %v", tt.d, tt.user, got, tt.want)
		}
	}
}
