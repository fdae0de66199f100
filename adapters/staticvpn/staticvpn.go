// Package staticvpn is the development provisioner (ports.Provisioner for
// vpn.Static servers): every key of a server is the access URL or config
// the server was added with, so the VPN flows run with no VPN server.
package staticvpn

import (
	"context"
	"fmt"

	"github.com/skip2/go-qrcode"

	"gatehouse/core/vpn"
	"gatehouse/ports"
)

// Provisioner hands out each static server's configured key.
type Provisioner struct{}

var _ ports.Provisioner = Provisioner{}

// New returns the static Provisioner.
func New() Provisioner { return Provisioner{} }

// Protocol implements ports.Provisioner.
func (Provisioner) Protocol() vpn.Protocol { return vpn.Static }

// Create implements ports.Provisioner: the server's configured key.
func (Provisioner) Create(_ context.Context, s vpn.Server, k vpn.AccessKey, _ int64) (vpn.Material, error) {
	if s.Static.AccessURL == "" && s.Static.Config == "" {
		return vpn.Material{}, vpn.ProvisionerDown(fmt.Errorf("staticvpn: server %d has no key configured", s.ID))
	}
	return vpn.Material{AccessURL: s.Static.AccessURL, Config: s.Static.Config, DynamicToken: k.Material.DynamicToken}, nil
}

// Revoke implements ports.Provisioner; nothing is kept anywhere.
func (Provisioner) Revoke(context.Context, vpn.Server, vpn.AccessKey) error { return nil }

// Rename implements ports.Provisioner; static keys have no names.
func (Provisioner) Rename(context.Context, vpn.Server, vpn.AccessKey, string) error { return nil }

// Metrics implements ports.Provisioner; nothing is measured.
func (Provisioner) Metrics(context.Context, vpn.Server) (vpn.Metrics, error) {
	return vpn.Metrics{}, nil
}

// QR implements ports.Provisioner: the access URL, else the config.
func (Provisioner) QR(m vpn.Material) ([]byte, error) {
	text := m.AccessURL
	if text == "" {
		text = m.Config
	}
	if text == "" {
		return nil, vpn.KeyNotFound()
	}
	png, err := qrcode.Encode(text, qrcode.Medium, 512)
	if err != nil {
		return nil, fmt.Errorf("staticvpn: qr code: %w", err)
	}
	return png, nil
}
