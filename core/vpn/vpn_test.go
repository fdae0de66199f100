package vpn_test

import (
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/vpn"
)

var now = time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC)

const pub = "qVc4bq3vNUiRjJ6Gc2iVnBVXBDcwl0JiTpnfDc3/Mn0="

func wgServer() vpn.Server {
	return vpn.Server{Country: "NL", City: "Amsterdam", Endpoint: "ams.example.net:51820",
		Protocol: vpn.WireGuard, WireGuard: vpn.WireGuardSettings{PublicKey: pub}}.WithDefaults()
}

func TestServerValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*vpn.Server)
		field string // "" when valid
	}{
		{"wireguard with defaults", func(*vpn.Server) {}, ""},
		{"no country", func(s *vpn.Server) { s.Country = " " }, "country"},
		{"unknown protocol", func(s *vpn.Server) { s.Protocol = "ipsec" }, "protocol"},
		{"endpoint without port", func(s *vpn.Server) { s.Endpoint = "ams.example.net" }, "endpoint"},
		{"ping url not http", func(s *vpn.Server) { s.PingURL = "ftp://x" }, "ping_url"},
		{"bad public key", func(s *vpn.Server) { s.WireGuard.PublicKey = "abc" }, "public_key"},
		{"ipv6 range as ipv4", func(s *vpn.Server) { s.WireGuard.IPv4CIDR = "fd00::/64" }, "ipv4_cidr"},
		{"ipv4 range too small", func(s *vpn.Server) { s.WireGuard.IPv4CIDR = "10.0.0.0/31" }, "ipv4_cidr"},
		{"dns not an address", func(s *vpn.Server) { s.WireGuard.DNS = []string{"dns.google"} }, "dns"},
		{"mtu too small", func(s *vpn.Server) { s.WireGuard.MTU = 500 }, "mtu"},
		{"outline over http", func(s *vpn.Server) {
			*s = vpn.Server{Country: "DE", City: "F", Endpoint: "h:443", Protocol: vpn.Outline,
				Outline: vpn.OutlineSettings{APIURL: "http://h:1/x", CertSHA256: "00"}}
		}, "api_url"},
		{"outline short fingerprint", func(s *vpn.Server) {
			*s = vpn.Server{Country: "DE", City: "F", Endpoint: "h:443", Protocol: vpn.Outline,
				Outline: vpn.OutlineSettings{APIURL: "https://h:1/x", CertSHA256: "00"}}
		}, "cert_sha256"},
		{"static without material", func(s *vpn.Server) {
			*s = vpn.Server{Country: "DE", City: "F", Protocol: vpn.Static}
		}, "static"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := wgServer()
			tt.edit(&s)
			err := s.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if fault.ReasonOf(err) != "invalid."+tt.field {
				t.Fatalf("Validate: %v, want invalid.%s", err, tt.field)
			}
		})
	}
}

func TestWithDefaultsAreWgEasys(t *testing.T) {
	w := wgServer().WireGuard
	if w.IPv4CIDR != "10.8.0.0/24" || w.IPv6CIDR != "fdcc:ad94:bacf:61a4::cafe:0/112" || w.MTU != 1420 ||
		w.ListenPort != 51820 || len(w.DNS) != 2 || len(w.AllowedIPs) != 2 {
		t.Fatalf("defaults %+v", w)
	}
}

func TestSubscriptionStatus(t *testing.T) {
	tests := []struct {
		name      string
		status    vpn.Status
		expiresIn time.Duration
		active    bool
		effective vpn.Status
	}{
		{"active", vpn.StatusActive, time.Hour, true, vpn.StatusActive},
		{"active at its expiry", vpn.StatusActive, 0, false, vpn.StatusExpired},
		{"active past expiry", vpn.StatusActive, -time.Hour, false, vpn.StatusExpired},
		{"cancelled", vpn.StatusCancelled, time.Hour, false, vpn.StatusCancelled},
		{"expired", vpn.StatusExpired, time.Hour, false, vpn.StatusExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := vpn.Subscription{Status: tt.status, ExpiresAt: now.Add(tt.expiresIn)}
			if s.Active(now) != tt.active || s.Effective(now).Status != tt.effective {
				t.Fatalf("Active %v Effective %q", s.Active(now), s.Effective(now).Status)
			}
			if err := s.RequireActive(now); (err == nil) != tt.active {
				t.Fatalf("RequireActive: %v", err)
			}
		})
	}
}

func TestGrantApply(t *testing.T) {
	day := 24 * time.Hour
	active := vpn.Subscription{UserID: "u", Plan: "pro", Status: vpn.StatusActive, StartedAt: now.Add(-day),
		ExpiresAt: now.Add(3 * day), DeviceLimit: 5, SettledAt: now}
	ended := active
	ended.Status = vpn.StatusCancelled
	tests := []struct {
		name    string
		prev    vpn.Subscription
		g       vpn.Grant
		expires time.Time
		started time.Time
		plan    string
	}{
		{"new", vpn.Subscription{}, vpn.Grant{Days: 30, Devices: 2}, now.Add(30 * day), now, vpn.DefaultPlan},
		{"extends active", active, vpn.Grant{Days: 30, Devices: 2}, now.Add(33 * day), now.Add(-day), "pro"},
		{"restarts ended", ended, vpn.Grant{Days: 1, Devices: 1, Plan: "x"}, now.Add(day), now, "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.g.Apply("u", tt.prev, now)
			if !got.ExpiresAt.Equal(tt.expires) || !got.StartedAt.Equal(tt.started) || got.Plan != tt.plan ||
				got.Status != vpn.StatusActive || got.DeviceLimit != tt.g.Devices || !got.SettledAt.IsZero() {
				t.Fatalf("Apply: %+v", got)
			}
		})
	}
}

func TestAdmitDevice(t *testing.T) {
	if err := vpn.AdmitDevice(1, 2); err != nil {
		t.Fatal(err)
	}
	err := vpn.AdmitDevice(1, 1)
	if fault.CodeOf(err) != fault.Forbidden || fault.MessageOf(err) !=
		"Device limit reached: your subscription allows 1 device. Remove a device you no longer use in your account's device list to free a slot, then sign in again." {
		t.Fatalf("AdmitDevice at the limit: %v", err)
	}
}

func TestNewDevice(t *testing.T) {
	d, err := vpn.NewDevice("u", " uuid-1 ", "", now)
	if err != nil || d.ClientID != "uuid-1" || d.Name != "uuid-1" || !d.LastSeen.Equal(now) {
		t.Fatalf("NewDevice: %+v %v", d, err)
	}
	long := string(make([]rune, 256))
	for _, tt := range []struct{ client, name, reason string }{
		{"", "n", "invalid.device_id"},
		{"x\xff", "n", "invalid.device_id"},
		{"x", long, "invalid.device_name"},
	} {
		if _, err := vpn.NewDevice("u", tt.client, tt.name, now); fault.ReasonOf(err) != tt.reason {
			t.Fatalf("NewDevice(%q, %q): %v, want %s", tt.client, tt.name, err, tt.reason)
		}
	}
}

func TestKeyStates(t *testing.T) {
	k := vpn.NewClaim("id", "u", vpn.Device{ID: 3, Name: "Phone"}, wgServer(), "tok", now)
	if k.Issued() || !k.Live() || k.Abandoned(now.Add(vpn.ClaimTTL-time.Second)) || !k.Abandoned(now.Add(vpn.ClaimTTL)) {
		t.Fatalf("claim states wrong: %+v", k)
	}
	if k.DynamicHash != vpn.TokenHash("tok") || k.Slot() != "u|3|0" {
		t.Fatalf("claim %+v", k)
	}
	k.IssuedAt = now
	if !k.Issued() || k.Abandoned(now.Add(time.Hour)) {
		t.Fatal("issued key states wrong")
	}
	if _, err := vpn.NewToken(make([]byte, 3)); err == nil {
		t.Fatal("NewToken took 3 bytes")
	}
}

func TestPeerStatConnected(t *testing.T) {
	for _, tt := range []struct {
		ago  time.Duration
		zero bool
		want bool
	}{{time.Minute, false, true}, {vpn.HandshakeFresh, false, false}, {0, true, false}} {
		p := vpn.PeerStat{LastHandshake: now.Add(-tt.ago)}
		if tt.zero {
			p.LastHandshake = time.Time{}
		}
		if p.Connected(now) != tt.want {
			t.Fatalf("handshake %s ago: Connected %v", tt.ago, !tt.want)
		}
	}
}
