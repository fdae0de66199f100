package vpnapi_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"gatehouse/adapters/httpapi"
	"gatehouse/adapters/httpapi/httpapitest"
	"gatehouse/adapters/httpapi/vpnapi"
	"gatehouse/adapters/jwtsign"
	"gatehouse/adapters/lognotify"
	"gatehouse/adapters/memstore"
	"gatehouse/adapters/passhash"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/core/sessions"
	"gatehouse/core/sessions/sessionsvc"
	"gatehouse/core/vpn"
	"gatehouse/core/vpn/vpnsvc"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

const (
	publicURL   = "https://vpn.example.com"
	agentSecret = "an agent secret of at least thirty-two bytes"
	password    = "Zt8wQp3mN-vpn"
)

// env is the contract 001 frontend over the real use cases on memstore,
// with fake provisioners, and the OpenAPI document it serves.
type env struct {
	*httpapitest.Frontend
	clock    *porttest.Clock
	accounts *identitysvc.Service
	vpn      *vpnsvc.Service
	outline  *fakeProvisioner
	wg       *fakeProvisioner
}

func newEnv(tb testing.TB, o vpnapi.Options) *env {
	tb.Helper()
	clk := porttest.NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	hasher, err := passhash.New(passhash.Options{Memory: 64, Time: 1, Concurrency: 2})
	if err != nil {
		tb.Fatal(err)
	}
	cache := memstore.NewCache(clk)
	tb.Cleanup(func() { _ = cache.Close() })
	signer, err := jwtsign.New(jwtsign.Options{Algorithm: jwtsign.EdDSA, Issuer: "gatehouse"}, memstore.NewKeyStore(), clk)
	if err != nil {
		tb.Fatal(err)
	}
	if err := signer.Start(context.Background()); err != nil {
		tb.Fatal(err)
	}
	sess, err := sessionsvc.New(sessionsvc.Deps{
		Store: memstore.NewSessionStore(), Signer: signer, Cache: cache, Clock: clk, Random: rand.Reader,
		Policy: sessions.Policy{Issuer: "gatehouse", Audience: "gatehouse"},
	})
	if err != nil {
		tb.Fatal(err)
	}
	outline, wg := &fakeProvisioner{protocol: vpn.Outline}, &fakeProvisioner{protocol: vpn.WireGuard}
	v, err := vpnsvc.New(vpnsvc.Deps{
		Store: memstore.NewVPNStore(), Cache: cache, Clock: clk, Random: rand.Reader,
		Provisioners: ports.Provisioners{outline, wg}, Sessions: sess,
	})
	if err != nil {
		tb.Fatal(err)
	}
	accounts, err := identitysvc.New(identitysvc.Deps{
		Users: memstore.NewUserStore(), Hasher: hasher, Clock: clk, Random: rand.Reader,
		Challenges: memstore.NewChallengeStore(), Notifier: lognotify.New(slog.New(slog.DiscardHandler)),
		Cache: cache, Sessions: sess, Hooks: []ports.UserDeletionHook{sess, v},
	})
	if err != nil {
		tb.Fatal(err)
	}
	if o.PublicURL == "" {
		o.PublicURL = publicURL
	}
	if o.AgentSecret == "" {
		o.AgentSecret = agentSecret
	}
	api, err := vpnapi.New(o, accounts, sess, v, clk)
	if err != nil {
		tb.Fatal(err)
	}
	h, err := httpapi.NewRouter(httpapi.Options{}, httpapi.Deps{
		Log:    slog.New(slog.DiscardHandler),
		Mounts: []httpapi.Mounter{api},
	})
	if err != nil {
		tb.Fatal(err)
	}
	f := httpapitest.NewFrontend(tb, h, o.Prefix+"/openapi/vpnapi.json", "")
	return &env{Frontend: f, clock: clk, accounts: accounts, vpn: v, outline: outline, wg: wg}
}

// register makes an account for email with the test password.
func (e *env) register(tb testing.TB, login string) string {
	tb.Helper()
	u, err := e.accounts.Register(context.Background(), ports.Registration{
		Login: login, Email: login + "@example.com", Password: password, Source: "test"})
	if err != nil {
		tb.Fatal(err)
	}
	return u.ID
}

// grant gives userID a subscription of days with a device limit.
func (e *env) grant(tb testing.TB, userID string, days, devices int) {
	tb.Helper()
	if _, err := e.vpn.Grant(context.Background(), userID, vpn.Grant{Days: days, Devices: devices}); err != nil {
		tb.Fatal(err)
	}
}

// addServer adds an enabled server of protocol p.
func (e *env) addServer(tb testing.TB, p vpn.Protocol, city string) vpn.Server {
	tb.Helper()
	s := vpn.Server{Country: "Netherlands", City: city, PingURL: "https://" + city + ".example.com/ping",
		Endpoint: "203.0.113.5:51820", Protocol: p, Enabled: true}
	switch p {
	case vpn.WireGuard:
		s.WireGuard.PublicKey = fakeKey("server " + city)
	case vpn.Outline:
		s.Outline = vpn.OutlineSettings{APIURL: "https://203.0.113.5:8081/secret",
			CertSHA256: "AB1F0000000000000000000000000000000000000000000000000000000000CD"}
	}
	s, err := e.vpn.AddServer(context.Background(), s)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// login signs in through POST /api/login and returns the token and the
// server's device id.
func (e *env) login(tb testing.TB, login, device string) (string, string) {
	tb.Helper()
	body := httpapitest.With(e.Example(tb, http.MethodPost, "/api/login"),
		"email", login+"@example.com", "password", password, "device_id", device, "device_name", "Phone of "+login)
	r := e.Call(tb, http.MethodPost, "/api/login", body, nil)
	if r.Status != http.StatusOK {
		tb.Fatalf("login %s on %s = %d %s", login, device, r.Status, r.Body)
	}
	var out struct {
		Token    string `json:"token"`
		DeviceID string `json:"device_id"`
	}
	r.JSON(tb, &out)
	return out.Token, out.DeviceID
}

// fakeKey is a well-formed WireGuard key derived from seed.
func fakeKey(seed string) string {
	sum := sha256.Sum256([]byte(seed))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// fakeProvisioner makes keys in memory, as a provisioner would at a server.
type fakeProvisioner struct {
	protocol vpn.Protocol
	mu       sync.Mutex
	keys     map[string]vpn.AccessKey // by key ID
	down     bool
}

func (p *fakeProvisioner) Protocol() vpn.Protocol { return p.protocol }

func (p *fakeProvisioner) Create(_ context.Context, s vpn.Server, k vpn.AccessKey, _ int64) (vpn.Material, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		return vpn.Material{}, vpn.ProvisionerDown(errors.New("connection refused"))
	}
	if p.keys == nil {
		p.keys = map[string]vpn.AccessKey{}
	}
	m := vpn.Material{RemoteID: k.ID, DynamicToken: k.Material.DynamicToken}
	switch p.protocol {
	case vpn.Outline:
		cred := base64.RawURLEncoding.EncodeToString([]byte("chacha20-ietf-poly1305:pw-" + k.ID))
		m.AccessURL = "ss://" + cred + "@" + s.Endpoint + "/?outline=1"
	default:
		m.PrivateKey, m.PublicKey, m.PresharedKey = fakeKey("priv "+k.ID), fakeKey("pub "+k.ID), fakeKey("psk "+k.ID)
		m.Addresses = []string{"10.8.0.2/32", "fdcc:ad94:bacf:61a4::cafe:2/128"}
		m.Config = "[Interface]\nPrivateKey = " + m.PrivateKey + "\nAddress = 10.8.0.2/32\n"
	}
	k.Material = m
	p.keys[k.ID] = k
	return m, nil
}

func (p *fakeProvisioner) Revoke(_ context.Context, _ vpn.Server, k vpn.AccessKey) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.keys, k.ID)
	return nil
}

func (p *fakeProvisioner) Rename(context.Context, vpn.Server, vpn.AccessKey, string) error {
	return nil
}

func (p *fakeProvisioner) Metrics(context.Context, vpn.Server) (vpn.Metrics, error) {
	return vpn.Metrics{}, nil
}

func (p *fakeProvisioner) QR(vpn.Material) ([]byte, error) { return []byte("\x89PNG\r\n\x1a\n"), nil }

// count is how many keys the server side holds.
func (p *fakeProvisioner) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.keys)
}
