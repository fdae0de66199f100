package porttest

import (
	"fmt"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/vpn"
	"gatehouse/ports"
)

// RunVPNStore checks the ports.VPNStore contract. newStore must return an
// empty store of its own on every call.
func RunVPNStore(t *testing.T, newStore func(tb testing.TB) ports.VPNStore) {
	tests := []struct {
		name string
		run  func(t *testing.T, s ports.VPNStore)
	}{
		{"AddServer numbers servers from 1 and round-trips every setting", vpnServers},
		{"SetServerEnabled switches a server; unknown is NotFound", vpnServerEnable},
		{"SaveSubscription replaces the user's subscription", vpnSubscription},
		{"UnsettledSubscriptions lists ended unsettled ones, earliest expiry first", vpnUnsettled},
		{"SettleSubscription settles only the version it was given", vpnSettle},
		{"AddDevice numbers devices, finds them again by client ID, refuses beyond the limit", vpnDevices},
		{"Device IDs are never given twice, removal frees a slot", vpnDeviceRemove},
		{"ClaimKey holds one live key per slot; IssueKey gives material", vpnKeyClaim},
		{"RevokeKey frees the slot and keeps the record; DropClaim undoes a claim", vpnKeyRevoke},
		{"UserKeys and ServerKeys list live keys oldest first", vpnKeyLists},
		{"ClaimAddress gives an address to one key per server; release frees it", vpnAddresses},
		{"SavePeerStats replaces the last report", vpnPeerStats},
		{"SaveLink keeps one link per user by hash", vpnLinks},
		{"DeleteVPNUser removes one user's records only", vpnDeleteUser},
		{"Concurrent AddDevice never exceeds the limit", vpnDeviceRace},
		{"Concurrent AddDevice of one client ID yields one device", vpnDeviceSameRace},
		{"Concurrent ClaimKey of one slot: exactly one wins", vpnKeyRace},
		{"Concurrent ClaimAddress of one address: exactly one wins", vpnAddressRace},
		{"50 concurrent allocations get 50 different addresses", vpnAllocateRace},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newStore(t))
		})
	}
}

// wgServer is a WireGuard server with every setting set.
func wgServer(city string) vpn.Server {
	return vpn.Server{
		Country: "NL", City: city, PingURL: "https://" + city + ".example.net/ping",
		Endpoint: city + ".example.net:51820", Protocol: vpn.WireGuard, Capacity: 250, Enabled: true,
		WireGuard: vpn.WireGuardSettings{
			PublicKey: "qVc4bq3vNUiRjJ6Gc2iVnBVXBDcwl0JiTpnfDc3/Mn0=", ListenPort: 51820,
			IPv4CIDR: "10.8.0.0/24", IPv6CIDR: "fdcc:ad94:bacf:61a4::cafe:0/112",
			DNS: []string{"1.1.1.1"}, MTU: 1420, Keepalive: 25, AllowedIPs: []string{"0.0.0.0/0", "::/0"},
		},
	}
}

// outlineServer is an Outline server with every setting set.
func outlineServer(city string) vpn.Server {
	return vpn.Server{
		Country: "DE", City: city, Endpoint: city + ".example.net:443", Protocol: vpn.Outline,
		Outline: vpn.OutlineSettings{
			APIURL:     "https://203.0.113.7:8081/ZmFrZXNlY3JldA",
			CertSHA256: "5C9A1E2F0B7D8C6A4E3F2A1B0C9D8E7F6A5B4C3D2E1F0A9B8C7D6E5F4A3B2C1D",
		},
		Static: vpn.StaticSettings{AccessURL: "ss://unused", Config: "unused"},
	}
}

func normServer(s vpn.Server) vpn.Server {
	if len(s.WireGuard.DNS) == 0 {
		s.WireGuard.DNS = nil
	}
	if len(s.WireGuard.AllowedIPs) == 0 {
		s.WireGuard.AllowedIPs = nil
	}
	return s
}

func addServer(tb testing.TB, s ports.VPNStore, srv vpn.Server) vpn.Server {
	tb.Helper()
	got, err := s.AddServer(tb.Context(), srv)
	must(tb, err, "AddServer "+srv.City)
	return got
}

func vpnServers(t *testing.T, s ports.VPNStore) {
	ctx := t.Context()
	wg := wgServer("ams")
	wg.ActiveConnections = 7 // not kept
	first := addServer(t, s, wg)
	second := addServer(t, s, outlineServer("fra"))
	if first.ID != 1 || second.ID != 2 {
		t.Fatalf("IDs %d, %d; want 1, 2", first.ID, second.ID)
	}
	want := wgServer("ams")
	want.ID = 1
	got, err := s.Server(ctx, 1)
	must(t, err, "Server 1")
	wantEqual(t, got, want, normServer, "Server 1")
	wantOutline := outlineServer("fra")
	wantOutline.ID = 2
	got, err = s.Server(ctx, 2)
	must(t, err, "Server 2")
	wantEqual(t, got, wantOutline, normServer, "Server 2")

	all, err := s.Servers(ctx)
	must(t, err, "Servers")
	if len(all) != 2 || all[0].ID != 1 || all[1].ID != 2 {
		t.Fatalf("Servers: got %+v, want IDs 1 and 2 in order", all)
	}
	_, err = s.Server(ctx, 3)
	wantFault(t, err, fault.NotFound, vpn.ReasonServerNotFound, "Server 3")
}

func vpnServerEnable(t *testing.T, s ports.VPNStore) {
	ctx := t.Context()
	srv := addServer(t, s, wgServer("ams"))
	must(t, s.SetServerEnabled(ctx, srv.ID, false), "disable")
	got, err := s.Server(ctx, srv.ID)
	must(t, err, "Server")
	if got.Enabled {
		t.Fatal("server still enabled")
	}
	must(t, s.SetServerEnabled(ctx, srv.ID, true), "enable")
	if got, _ = s.Server(ctx, srv.ID); !got.Enabled {
		t.Fatal("server not enabled again")
	}
	wantFault(t, s.SetServerEnabled(ctx, 99, true), fault.NotFound, vpn.ReasonServerNotFound, "unknown server")
}

// sub is a subscription of user expiring n minutes after base.
func sub(user string, status vpn.Status, n int) vpn.Subscription {
	return vpn.Subscription{
		UserID: user, Plan: "pro", Status: status, StartedAt: at(-1000), ExpiresAt: at(n),
		DeviceLimit: 3, TrafficLimitBytes: 50 << 30, UpdatedAt: at(-10),
	}
}

func normSub(s vpn.Subscription) vpn.Subscription {
	s.StartedAt, s.ExpiresAt, s.UpdatedAt, s.SettledAt = ms(s.StartedAt), ms(s.ExpiresAt), ms(s.UpdatedAt), ms(s.SettledAt)
	return s
}

func vpnSubscription(t *testing.T, s ports.VPNStore) {
	ctx := t.Context()
	_, err := s.Subscription(ctx, "u1")
	wantFault(t, err, fault.NotFound, vpn.ReasonSubscriptionNotFound, "no subscription")
	first := sub("u1", vpn.StatusActive, 60)
	must(t, s.SaveSubscription(ctx, first), "save")
	got, err := s.Subscription(ctx, "u1")
	must(t, err, "Subscription")
	wantEqual(t, got, first, normSub, "saved")
	second := sub("u1", vpn.StatusCancelled, 90)
	second.SettledAt = at(5)
	must(t, s.SaveSubscription(ctx, second), "replace")
	got, err = s.Subscription(ctx, "u1")
	must(t, err, "Subscription")
	wantEqual(t, got, second, normSub, "replaced")
}

func vpnUnsettled(t *testing.T, s ports.VPNStore) {
	ctx := t.Context()
	now := at(0)
	settled := sub("settled", vpn.StatusCancelled, -50)
	settled.SettledAt = at(-40)
	for _, x := range []vpn.Subscription{
		sub("live", vpn.StatusActive, 10),
		sub("lapsed", vpn.StatusActive, -5),
		sub("lapsed-now", vpn.StatusActive, 0),
		sub("cancelled", vpn.StatusCancelled, 100),
		sub("expired", vpn.StatusExpired, -30),
		settled,
	} {
		must(t, s.SaveSubscription(ctx, x), "save "+x.UserID)
	}
	got, err := s.UnsettledSubscriptions(ctx, now, 10)
	must(t, err, "UnsettledSubscriptions")
	var users []string
	for _, x := range got {
		users = append(users, x.UserID)
	}
	if fmt.Sprint(users) != "[expired lapsed lapsed-now cancelled]" {
		t.Fatalf("unsettled: got %v, want [expired lapsed lapsed-now cancelled]", users)
	}
	got, err = s.UnsettledSubscriptions(ctx, now, 2)
	must(t, err, "UnsettledSubscriptions limit 2")
	if len(got) != 2 || got[0].UserID != "expired" {
		t.Fatalf("limit 2: got %+v", got)
	}
	_, err = s.UnsettledSubscriptions(ctx, now, 0)
	wantFault(t, err, fault.Invalid, vpn.ReasonLimitInvalid, "limit 0")
}

func vpnSettle(t *testing.T, s ports.VPNStore) {
	ctx := t.Context()
	x := sub("u1", vpn.StatusCancelled, -5)
	must(t, s.SaveSubscription(ctx, x), "save")
	ok, err := s.SettleSubscription(ctx, "u1", at(-9), at(1))
	must(t, err, "settle other version")
	if ok {
		t.Fatal("settled a version it was not given")
	}
	ok, err = s.SettleSubscription(ctx, "u1", x.UpdatedAt, at(1))
	must(t, err, "settle")
	if !ok {
		t.Fatal("did not settle the stored version")
	}
	got, err := s.Subscription(ctx, "u1")
	must(t, err, "Subscription")
	if !ms(got.SettledAt).Equal(ms(at(1))) {
		t.Fatalf("SettledAt %v, want %v", got.SettledAt, at(1))
	}
	rest, err := s.UnsettledSubscriptions(ctx, at(2), 10)
	must(t, err, "UnsettledSubscriptions")
	if len(rest) != 0 {
		t.Fatalf("settled subscription still listed: %+v", rest)
	}
	_, err = s.SettleSubscription(ctx, "nobody", at(0), at(1))
	wantFault(t, err, fault.NotFound, vpn.ReasonSubscriptionNotFound, "settle unknown")
}
