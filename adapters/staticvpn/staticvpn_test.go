package staticvpn_test

import (
	"strings"
	"testing"

	"gatehouse/adapters/staticvpn"
	"gatehouse/core/fault"
	"gatehouse/core/vpn"
)

func TestStaticKeys(t *testing.T) {
	p := staticvpn.New()
	s := vpn.Server{ID: 3, Protocol: vpn.Static, Static: vpn.StaticSettings{AccessURL: "ss://dev@127.0.0.1:8388/?outline=1"}}
	m, err := p.Create(t.Context(), s, vpn.AccessKey{Material: vpn.Material{DynamicToken: "d"}}, 0)
	if err != nil || m.AccessURL != s.Static.AccessURL || m.DynamicToken != "d" {
		t.Fatalf("Create: %+v %v", m, err)
	}
	if png, err := p.QR(m); err != nil || !strings.HasPrefix(string(png), "\x89PNG") {
		t.Fatalf("QR: %v", err)
	}
	if err := p.Revoke(t.Context(), s, vpn.AccessKey{}); err != nil {
		t.Fatal(err)
	}
	_, err = p.Create(t.Context(), vpn.Server{ID: 4, Protocol: vpn.Static}, vpn.AccessKey{}, 0)
	if fault.ReasonOf(err) != vpn.ReasonProvisionerDown {
		t.Fatalf("Create without a configured key: %v", err)
	}
	if _, err := p.QR(vpn.Material{}); fault.ReasonOf(err) != vpn.ReasonKeyNotFound {
		t.Fatalf("QR of nothing: %v", err)
	}
}
