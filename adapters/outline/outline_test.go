package outline_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"gatehouse/adapters/outline"
	"gatehouse/core/fault"
	"gatehouse/core/vpn"
	"gatehouse/ports/porttest"
)

var now = time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC)

func newProvisioner(tb testing.TB) *outline.Provisioner {
	tb.Helper()
	p, err := outline.New(outline.Options{Clock: porttest.NewClock(now), Timeout: 5 * time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func serverOf(f *fakeOutline) vpn.Server {
	return vpn.Server{ID: 1, Country: "DE", City: "Frankfurt", Endpoint: f.hostname + ":443", Protocol: vpn.Outline,
		Enabled: true, Outline: vpn.OutlineSettings{APIURL: f.apiURL(), CertSHA256: f.certSHA256()}}
}

func claimed(id string) vpn.AccessKey {
	return vpn.AccessKey{ID: id, Name: "alice · iPhone 12", Material: vpn.Material{DynamicToken: "dyn"}}
}

func wantDown(tb testing.TB, err error, what string) {
	tb.Helper()
	if fault.CodeOf(err) != fault.Unavailable || fault.ReasonOf(err) != vpn.ReasonProvisionerDown {
		tb.Fatalf("%s: %v, want unavailable %s", what, err, vpn.ReasonProvisionerDown)
	}
}

func TestCreateMakesTheKeyWithNameAndLimit(t *testing.T) {
	f := newFakeOutline(t)
	p := newProvisioner(t)
	m, err := p.Create(t.Context(), serverOf(f), claimed("kAbc_-1"), 50<<30)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	k, ok := f.key("kAbc_-1")
	if !ok || k.Name != "alice · iPhone 12" || k.DataLimit == nil || k.DataLimit.Bytes != 50<<30 {
		t.Fatalf("key at the server: %+v (found %v)", k, ok)
	}
	if m.RemoteID != "kAbc_-1" || m.DynamicToken != "dyn" {
		t.Fatalf("material %+v", m)
	}
	if m.AccessURL != k.AccessURL {
		t.Fatalf("access URL %q, Outline forms %q", m.AccessURL, k.AccessURL)
	}
	userinfo := strings.TrimPrefix(strings.Split(m.AccessURL, "@")[0], "ss://")
	if dec, err := base64.RawURLEncoding.DecodeString(userinfo); err != nil || string(dec) != "chacha20-ietf-poly1305:"+k.Password {
		t.Fatalf("userinfo %q decodes to %q, %v", userinfo, dec, err)
	}
	png, err := p.QR(m)
	if err != nil || !strings.HasPrefix(string(png), "\x89PNG") {
		t.Fatalf("QR: %v", err)
	}

	_, err = p.Create(t.Context(), serverOf(f), claimed("kAbc_-1"), 0)
	wantDown(t, err, "Create of a taken id")
	if _, ok := f.key("kAbc_-1"); !ok {
		t.Fatal("a refused Create deleted the key that had the id")
	}
	m2, err := p.Create(t.Context(), serverOf(f), claimed("k2"), 0)
	if err != nil {
		t.Fatalf("Create without limit: %v", err)
	}
	if k2, _ := f.key("k2"); k2.DataLimit != nil || m2.RemoteID != "k2" {
		t.Fatalf("key without limit: %+v", k2)
	}
}

func TestAccessURL(t *testing.T) {
	tests := []struct {
		host, method, password, want string
		port                         int
	}{
		{"203.0.113.7", "chacha20-ietf-poly1305", "pw", "ss://Y2hhY2hhMjAtaWV0Zi1wb2x5MTMwNTpwdw@203.0.113.7:443/?outline=1", 443},
		{"2001:db8::1", "aes-256-gcm", "x", "ss://YWVzLTI1Ni1nY206eA@[2001:db8::1]:8388/?outline=1", 8388},
	}
	for _, tt := range tests {
		if got := outline.AccessURL(tt.host, tt.port, tt.method, tt.password); got != tt.want {
			t.Fatalf("AccessURL(%s): %q, want %q", tt.host, got, tt.want)
		}
	}
}

func TestRevokeAndRename(t *testing.T) {
	f := newFakeOutline(t)
	p := newProvisioner(t)
	s := serverOf(f)
	m, err := p.Create(t.Context(), s, claimed("k1"), 0)
	if err != nil {
		t.Fatal(err)
	}
	key := claimed("k1")
	key.Material = m
	if err := p.Rename(t.Context(), s, key, "bob · Pixel"); err != nil {
		t.Fatalf("Rename: %v", err)
	}
	if k, _ := f.key("k1"); k.Name != "bob · Pixel" {
		t.Fatalf("name %q", k.Name)
	}
	if err := p.Revoke(t.Context(), s, key); err != nil {
		t.Fatalf("Revoke: %v", err)
	}
	if err := p.Revoke(t.Context(), s, key); err != nil {
		t.Fatalf("Revoke again (404 at the server): %v", err)
	}
	if err := p.Rename(t.Context(), s, key, "x"); fault.ReasonOf(err) != vpn.ReasonKeyNotFound {
		t.Fatalf("Rename of a deleted key: %v", err)
	}
	if f.count() != 0 {
		t.Fatalf("%d keys left", f.count())
	}
}

func TestMetrics(t *testing.T) {
	f := newFakeOutline(t)
	p := newProvisioner(t)
	f.transfer = map[string]int64{"a": 100, "b": 200}
	f.seen = map[string]int64{"a": now.Add(-time.Minute).Unix(), "b": now.Add(-time.Hour).Unix()}
	m, err := p.Metrics(t.Context(), serverOf(f))
	if err != nil {
		t.Fatalf("Metrics: %v", err)
	}
	if m.ActiveConnections != 1 || m.TransferByRemoteID["a"] != 100 || m.TransferByRemoteID["b"] != 200 {
		t.Fatalf("metrics %+v", m)
	}
}

func TestCertificateIsPinned(t *testing.T) {
	f := newFakeOutline(t)
	p := newProvisioner(t)
	s := serverOf(f)
	s.Outline.CertSHA256 = strings.Repeat("AB", 32)
	_, err := p.Create(t.Context(), s, claimed("k1"), 0)
	wantDown(t, err, "Create against another certificate")
	if f.count() != 0 {
		t.Fatal("a key was made through an unpinned connection")
	}
	s = serverOf(f)
	s.Outline.CertSHA256 = strings.ToLower(s.Outline.CertSHA256)
	if _, err := p.Create(t.Context(), s, claimed("k1"), 0); err != nil {
		t.Fatalf("lower-case fingerprint: %v", err)
	}
}

func TestServerDownOrFailingLeavesNothing(t *testing.T) {
	f := newFakeOutline(t)
	p := newProvisioner(t)
	s := serverOf(f)

	f.failAfterCreate = true
	_, err := p.Create(t.Context(), s, claimed("k1"), 0)
	wantDown(t, err, "Create answered 500")
	if f.count() != 0 {
		t.Fatalf("the half-made key stayed at the server")
	}
	f.failAfterCreate = false

	wrong := s
	wrong.Outline.APIURL = f.srv.URL + "/not-the-secret"
	_, err = p.Create(t.Context(), wrong, claimed("k1"), 0)
	wantDown(t, err, "Create under a wrong secret prefix")

	f.srv.Close()
	_, err = p.Create(t.Context(), s, claimed("k1"), 0)
	wantDown(t, err, "Create with the server down")
	wantDown(t, p.Revoke(t.Context(), s, claimed("k1")), "Revoke with the server down")
	_, err = p.Metrics(t.Context(), s)
	wantDown(t, err, "Metrics with the server down")
}
