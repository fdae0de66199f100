package wireguard_test

import (
	"context"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.zx2c4.com/wireguard/wgctrl/wgtypes"

	"gatehouse/adapters/memstore"
	"gatehouse/adapters/wireguard"
	"gatehouse/core/fault"
	"gatehouse/core/vpn"
	"gatehouse/ports/porttest"
)

var now = time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC)

func server(tb testing.TB, edit func(*vpn.Server)) vpn.Server {
	tb.Helper()
	key, err := wgtypes.GeneratePrivateKey()
	if err != nil {
		tb.Fatal(err)
	}
	s := vpn.Server{ID: 1, Country: "NL", City: "Amsterdam", Endpoint: "vpn.example.net:51820",
		Protocol: vpn.WireGuard, WireGuard: vpn.WireGuardSettings{PublicKey: key.PublicKey().String()}}
	if edit != nil {
		edit(&s)
	}
	s = s.WithDefaults()
	if err := s.Validate(); err != nil {
		tb.Fatal(err)
	}
	return s
}

func newProvisioner(tb testing.TB) (*wireguard.Provisioner, *memstore.VPNStore, *porttest.Clock) {
	tb.Helper()
	store, clock := memstore.NewVPNStore(), porttest.NewClock(now)
	p, err := wireguard.New(wireguard.Options{Book: store, Clock: clock})
	if err != nil {
		tb.Fatal(err)
	}
	return p, store, clock
}

func create(tb testing.TB, p *wireguard.Provisioner, s vpn.Server, id string) vpn.Material {
	tb.Helper()
	m, err := p.Create(tb.Context(), s, vpn.AccessKey{ID: id, Material: vpn.Material{DynamicToken: "dyn-" + id}}, 0)
	if err != nil {
		tb.Fatalf("Create %s: %v", id, err)
	}
	return m
}

func TestCreateMakesRealKeysAndWgEasysConfig(t *testing.T) {
	p, _, _ := newProvisioner(t)
	s := server(t, nil)
	m := create(t, p, s, "k1")
	priv, err := wgtypes.ParseKey(m.PrivateKey)
	if err != nil {
		t.Fatalf("private key %q: %v", m.PrivateKey, err)
	}
	if priv.PublicKey().String() != m.PublicKey || m.RemoteID != m.PublicKey {
		t.Fatalf("public key %q is not the private key's", m.PublicKey)
	}
	if _, err := wgtypes.ParseKey(m.PresharedKey); err != nil || m.PresharedKey == m.PrivateKey {
		t.Fatalf("preshared key %q: %v", m.PresharedKey, err)
	}
	if m.DynamicToken != "dyn-k1" {
		t.Fatalf("dynamic token %q not passed through", m.DynamicToken)
	}
	want := "[Interface]\n" +
		"PrivateKey = " + m.PrivateKey + "\n" +
		"Address = 10.8.0.2/32, fdcc:ad94:bacf:61a4::cafe:2/128\n" +
		"DNS = 1.1.1.1, 2606:4700:4700::1111\n" +
		"MTU = 1420\n" +
		"\n[Peer]\n" +
		"PublicKey = " + s.WireGuard.PublicKey + "\n" +
		"PresharedKey = " + m.PresharedKey + "\n" +
		"AllowedIPs = 0.0.0.0/0, ::/0\n" +
		"PersistentKeepalive = 0\n" +
		"Endpoint = vpn.example.net:51820\n"
	if m.Config != want {
		t.Fatalf("config:\n%s\nwant:\n%s", m.Config, want)
	}
	second := create(t, p, s, "k2")
	if strings.Join(second.Addresses, ",") != "10.8.0.3/32,fdcc:ad94:bacf:61a4::cafe:3/128" {
		t.Fatalf("second client's addresses %v", second.Addresses)
	}
}

func TestConfigVariants(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(*vpn.Server)
		has, not []string
	}{
		{"ipv4 only, no dns, keepalive", func(s *vpn.Server) {
			s.WireGuard.IPv4CIDR, s.WireGuard.DNS, s.WireGuard.Keepalive = "10.66.0.0/16", []string{}, 25
		}, []string{"Address = 10.66.0.2/32\n", "PersistentKeepalive = 25\n"}, []string{"DNS", "fdcc"}},
		{"ipv6 endpoint, split tunnel", func(s *vpn.Server) {
			s.Endpoint, s.WireGuard.AllowedIPs, s.WireGuard.MTU = "[2001:db8::1]:443", []string{"10.0.0.0/8"}, 1380
		}, []string{"Endpoint = [2001:db8::1]:443\n", "AllowedIPs = 10.0.0.0/8\n", "MTU = 1380\n"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _, _ := newProvisioner(t)
			m := create(t, p, server(t, tt.edit), "k")
			for _, s := range tt.has {
				if !strings.Contains(m.Config, s) {
					t.Fatalf("config lacks %q:\n%s", s, m.Config)
				}
			}
			for _, s := range tt.not {
				if strings.Contains(m.Config, s) {
					t.Fatalf("config has %q:\n%s", s, m.Config)
				}
			}
		})
	}
}

// TestConfigPassesWireGuardTools checks the config with Debian's
// wireguard-tools: wg-quick's parser accepts it and wg derives the listed
// public key from its private key. Without the tools it is skipped, but
// not in CI.
func TestConfigPassesWireGuardTools(t *testing.T) {
	wgBin, err1 := exec.LookPath("wg")
	quick, err2 := exec.LookPath("wg-quick")
	if err1 != nil || err2 != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("wireguard-tools are not installed (apt-get install -y wireguard-tools)")
		}
		t.Skip("wireguard-tools are not installed")
	}
	p, _, _ := newProvisioner(t)
	m := create(t, p, server(t, func(s *vpn.Server) { s.WireGuard.Keepalive = 25 }), "k1")
	file := filepath.Join(t.TempDir(), "wg0.conf")
	if err := os.WriteFile(file, []byte(m.Config), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(quick, "strip", file).CombinedOutput()
	if err != nil {
		t.Fatalf("wg-quick strip: %v\n%s", err, out)
	}
	stripped := string(out)
	for _, want := range []string{"PrivateKey = " + m.PrivateKey, "PresharedKey = " + m.PresharedKey, "Endpoint = ", "PersistentKeepalive = 25"} {
		if !strings.Contains(stripped, want) {
			t.Fatalf("wg-quick strip lost %q:\n%s", want, stripped)
		}
	}
	if strings.Contains(stripped, "Address") || strings.Contains(stripped, "DNS") || strings.Contains(stripped, "MTU") {
		t.Fatalf("wg-quick strip kept its own keys, so it did not parse them:\n%s", stripped)
	}
	cmd := exec.Command(wgBin, "pubkey")
	cmd.Stdin = strings.NewReader(m.PrivateKey + "\n")
	pub, err := cmd.Output()
	if err != nil {
		t.Fatalf("wg pubkey: %v", err)
	}
	if strings.TrimSpace(string(pub)) != m.PublicKey {
		t.Fatalf("wg pubkey gives %q, the key lists %q", pub, m.PublicKey)
	}
}

func TestFiftyConcurrentCreatesGetDistinctAddresses(t *testing.T) {
	p, store, _ := newProvisioner(t)
	s := server(t, nil)
	const n = 50
	got := make([][]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			m, err := p.Create(context.Background(), s, vpn.AccessKey{ID: string(rune('A' + i))}, 0)
			got[i], errs[i] = m.Addresses, err
		}()
	}
	close(start)
	wg.Wait()
	seen := map[string]bool{}
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("Create %d: %v", i, errs[i])
		}
		for _, a := range got[i] {
			if seen[a] {
				t.Fatalf("address %s given twice", a)
			}
			seen[a] = true
		}
	}
	used, err := store.AddressesInUse(t.Context(), s.ID)
	if err != nil || len(used) != 2*n {
		t.Fatalf("%d addresses claimed (%v), want %d", len(used), err, 2*n)
	}
}

func TestPoolExhaustionAndRelease(t *testing.T) {
	p, store, _ := newProvisioner(t)
	// A /29 has 8 addresses: .0 network, .1 server, .7 last; clients .2 to .6.
	s := server(t, func(s *vpn.Server) { s.WireGuard.IPv4CIDR, s.WireGuard.IPv6CIDR = "10.9.0.0/29", "" })
	for i := range 5 {
		create(t, p, s, string(rune('a'+i)))
	}
	_, err := p.Create(t.Context(), s, vpn.AccessKey{ID: "full"}, 0)
	if fault.ReasonOf(err) != vpn.ReasonPoolExhausted || fault.CodeOf(err) != fault.Unavailable {
		t.Fatalf("Create on a full pool: %v", err)
	}
	if err := p.Revoke(t.Context(), s, vpn.AccessKey{ID: "c"}); err != nil {
		t.Fatal(err)
	}
	m := create(t, p, s, "again")
	if m.Addresses[0] != "10.9.0.4/32" {
		t.Fatalf("freed address not reused: %v", m.Addresses)
	}
	used, _ := store.AddressesInUse(t.Context(), s.ID)
	for _, a := range used {
		if addr := netip.MustParseAddr(a); addr == netip.MustParseAddr("10.9.0.7") || addr == netip.MustParseAddr("10.9.0.1") {
			t.Fatalf("allocated %s", a)
		}
	}
}

func TestMetricsFromTheAgentsReport(t *testing.T) {
	p, store, clock := newProvisioner(t)
	s := server(t, nil)
	err := store.SavePeerStats(t.Context(), s.ID, []vpn.PeerStat{
		{PublicKey: "a", LastHandshake: now.Add(-time.Minute), ReceiveBytes: 10, TransmitBytes: 5},
		{PublicKey: "b", LastHandshake: now.Add(-time.Hour), ReceiveBytes: 1},
		{PublicKey: "c"},
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.Metrics(t.Context(), s)
	if err != nil || m.ActiveConnections != 1 || m.TransferByRemoteID["a"] != 15 || m.TransferByRemoteID["b"] != 1 {
		t.Fatalf("Metrics: %+v %v", m, err)
	}
	clock.Advance(vpn.HandshakeFresh)
	if m, _ := p.Metrics(t.Context(), s); m.ActiveConnections != 0 {
		t.Fatalf("stale handshake counted: %+v", m)
	}
}

func TestQR(t *testing.T) {
	p, _, _ := newProvisioner(t)
	m := create(t, p, server(t, nil), "k")
	png, err := p.QR(m)
	if err != nil || !strings.HasPrefix(string(png), "\x89PNG") {
		t.Fatalf("QR: %d bytes, %v", len(png), err)
	}
	if _, err := p.QR(vpn.Material{}); fault.ReasonOf(err) != vpn.ReasonKeyNotFound {
		t.Fatalf("QR of nothing: %v", err)
	}
}
