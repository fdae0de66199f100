package vpnsvc_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"
	"testing"
	"time"

	"gatehouse/adapters/memstore"
	"gatehouse/core/fault"
	"gatehouse/core/vpn"
	"gatehouse/core/vpn/vpnsvc"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

// fakeProvisioner keeps keys as a VPN server would, and can be taken down.
type fakeProvisioner struct {
	proto vpn.Protocol
	mu    sync.Mutex
	down  bool
	next  int
	keys  map[string]string // remote ID -> key ID
	made  int
	gone  int
	conns int
}

func newFake(p vpn.Protocol) *fakeProvisioner {
	return &fakeProvisioner{proto: p, keys: map[string]string{}}
}

func (f *fakeProvisioner) setDown(down bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.down = down
}

// counts returns the keys the server holds, made and removed so far.
func (f *fakeProvisioner) counts() (held, made, gone int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.keys), f.made, f.gone
}

func (f *fakeProvisioner) Protocol() vpn.Protocol { return f.proto }

func (f *fakeProvisioner) Create(_ context.Context, s vpn.Server, k vpn.AccessKey, _ int64) (vpn.Material, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return vpn.Material{}, vpn.ProvisionerDown(fmt.Errorf("connection refused"))
	}
	f.next++
	f.made++
	id := fmt.Sprint(f.next)
	f.keys[id] = k.ID
	return vpn.Material{RemoteID: id, AccessURL: "ss://key" + id + "@" + s.Endpoint, PublicKey: "pub" + id,
		Addresses: []string{"10.8.0." + id + "/32"}}, nil
}

func (f *fakeProvisioner) Revoke(_ context.Context, _ vpn.Server, k vpn.AccessKey) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if k.Material.RemoteID == "" {
		return nil // never made here
	}
	if f.down {
		return vpn.ProvisionerDown(fmt.Errorf("connection refused"))
	}
	if _, ok := f.keys[k.Material.RemoteID]; ok {
		delete(f.keys, k.Material.RemoteID)
		f.gone++
	}
	return nil
}

func (f *fakeProvisioner) Rename(context.Context, vpn.Server, vpn.AccessKey, string) error {
	return nil
}

func (f *fakeProvisioner) Metrics(context.Context, vpn.Server) (vpn.Metrics, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return vpn.Metrics{}, vpn.ProvisionerDown(fmt.Errorf("connection refused"))
	}
	traffic := map[string]int64{}
	for id := range f.keys {
		traffic[id] = 1000
	}
	return vpn.Metrics{ActiveConnections: f.conns, TransferByRemoteID: traffic}, nil
}

func (f *fakeProvisioner) QR(m vpn.Material) ([]byte, error) {
	return []byte("PNG " + m.AccessURL), nil
}

// env is one service on memstore with a fake provisioner per protocol.
type env struct {
	svc     *vpnsvc.Service
	store   *memstore.VPNStore
	cache   *memstore.Cache
	clock   *porttest.Clock
	wg, out *fakeProvisioner
}

var start = time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC)

func newEnv(tb testing.TB) *env {
	tb.Helper()
	clock := porttest.NewClock(start)
	cache := memstore.NewCache(clock)
	tb.Cleanup(func() { _ = cache.Close() })
	e := &env{store: memstore.NewVPNStore(), cache: cache, clock: clock,
		wg: newFake(vpn.WireGuard), out: newFake(vpn.Outline)}
	svc, err := vpnsvc.New(vpnsvc.Deps{Store: e.store, Cache: cache, Clock: clock, Random: rand.Reader,
		Provisioners: ports.Provisioners{e.wg, e.out}})
	if err != nil {
		tb.Fatal(err)
	}
	e.svc = svc
	return e
}

const wgPub = "qVc4bq3vNUiRjJ6Gc2iVnBVXBDcwl0JiTpnfDc3/Mn0="

func (e *env) addWG(tb testing.TB) vpn.Server {
	tb.Helper()
	s, err := e.svc.AddServer(tb.Context(), vpn.Server{Country: "NL", City: "Amsterdam",
		PingURL: "https://ams.example.net/ping", Endpoint: "ams.example.net:51820", Protocol: vpn.WireGuard,
		Enabled: true, WireGuard: vpn.WireGuardSettings{PublicKey: wgPub}})
	mustOK(tb, err, "AddServer wireguard")
	return s
}

func (e *env) addOutline(tb testing.TB) vpn.Server {
	tb.Helper()
	s, err := e.svc.AddServer(tb.Context(), vpn.Server{Country: "DE", City: "Frankfurt",
		Endpoint: "fra.example.net:443", Protocol: vpn.Outline, Enabled: true,
		Outline: vpn.OutlineSettings{APIURL: "https://203.0.113.9:8081/secret",
			CertSHA256: "5C9A1E2F0B7D8C6A4E3F2A1B0C9D8E7F6A5B4C3D2E1F0A9B8C7D6E5F4A3B2C1D"}})
	mustOK(tb, err, "AddServer outline")
	return s
}

// subscriber grants user days and devices and registers one device.
func (e *env) subscriber(tb testing.TB, user string, devices int) vpn.Device {
	tb.Helper()
	_, err := e.svc.Grant(tb.Context(), user, vpn.Grant{Days: 30, Devices: devices})
	mustOK(tb, err, "Grant")
	d, err := e.svc.RegisterDevice(tb.Context(), user, "uuid-"+user, "iPhone 12")
	mustOK(tb, err, "RegisterDevice")
	return d
}

func mustOK(tb testing.TB, err error, what string) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("%s: %v", what, err)
	}
}

func wantFault(tb testing.TB, err error, code fault.Code, reason, what string) {
	tb.Helper()
	if fault.CodeOf(err) != code || fault.ReasonOf(err) != reason {
		tb.Fatalf("%s: got %v, want %s %s", what, err, code, reason)
	}
}
