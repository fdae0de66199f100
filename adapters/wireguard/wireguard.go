// Package wireguard provisions WireGuard access keys (ports.Provisioner):
// an X25519 key pair and a preshared key per client, client addresses
// allocated from the server's IPv4 and IPv6 ranges, and the client's
// wg-quick config as wg-easy writes it, with a QR code of it.
//
// gatehouse does not reach into the VPN host: the server side follows the
// peer list (ports.VPN.Peers), which an agent on the host fetches and
// applies (see the README), and what the agent reports of its peers
// (ports.VPN.ReportPeers) gives the active connections (Metrics).
package wireguard

import (
	"context"
	"errors"
	"fmt"

	"github.com/skip2/go-qrcode"
	"golang.zx2c4.com/wireguard/wgctrl/wgtypes"

	"gatehouse/core/vpn"
	"gatehouse/ports"
)

// QRSize is the side of the QR code PNG in pixels.
const QRSize = 512

// Options configure a Provisioner.
type Options struct {
	Book  ports.WireGuardBook // address claims and agents' reports
	Clock ports.Clock
}

// Provisioner implements ports.Provisioner for WireGuard servers.
type Provisioner struct {
	book  ports.WireGuardBook
	clock ports.Clock
}

var _ ports.Provisioner = (*Provisioner)(nil)

// New returns a Provisioner, or an error naming the missing dependency.
func New(o Options) (*Provisioner, error) {
	switch {
	case o.Book == nil:
		return nil, errors.New("wireguard: address book is required")
	case o.Clock == nil:
		return nil, errors.New("wireguard: clock is required")
	}
	return &Provisioner{book: o.Book, clock: o.Clock}, nil
}

// Protocol implements ports.Provisioner.
func (p *Provisioner) Protocol() vpn.Protocol { return vpn.WireGuard }

// Create implements ports.Provisioner: fresh keys, the first free address
// of each of the server's ranges, the config. WireGuard has no traffic
// budget, so limitBytes is not used. Addresses claimed by a Create that
// fails are released.
func (p *Provisioner) Create(ctx context.Context, s vpn.Server, k vpn.AccessKey, _ int64) (vpn.Material, error) {
	priv, err := wgtypes.GeneratePrivateKey()
	if err != nil {
		return vpn.Material{}, fmt.Errorf("wireguard: private key: %w", err)
	}
	psk, err := wgtypes.GenerateKey()
	if err != nil {
		return vpn.Material{}, fmt.Errorf("wireguard: preshared key: %w", err)
	}
	addrs, err := p.allocate(ctx, s, k.ID)
	if err != nil {
		if rerr := p.book.ReleaseAddresses(context.WithoutCancel(ctx), k.ID); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return vpn.Material{}, err
	}
	m := vpn.Material{
		PrivateKey:   priv.String(),
		PublicKey:    priv.PublicKey().String(),
		PresharedKey: psk.String(),
		Addresses:    addrs,
		DynamicToken: k.Material.DynamicToken,
	}
	m.RemoteID = m.PublicKey // what the agent's reports name a peer by
	m.Config = ClientConfig(s, m)
	return m, nil
}

// Revoke implements ports.Provisioner: the key's addresses are freed; the
// peer leaves the server when its agent next applies the peer list, which
// no longer has it.
func (p *Provisioner) Revoke(ctx context.Context, _ vpn.Server, k vpn.AccessKey) error {
	return p.book.ReleaseAddresses(ctx, k.ID)
}

// Rename implements ports.Provisioner; WireGuard peers have no names.
func (p *Provisioner) Rename(context.Context, vpn.Server, vpn.AccessKey, string) error { return nil }

// Metrics implements ports.Provisioner from the agent's last report: a
// peer with a handshake in the last vpn.HandshakeFresh is an active
// connection; its transfer is received plus sent bytes, by public key.
func (p *Provisioner) Metrics(ctx context.Context, s vpn.Server) (vpn.Metrics, error) {
	stats, err := p.book.PeerStats(ctx, s.ID)
	if err != nil {
		return vpn.Metrics{}, err
	}
	now := p.clock.Now()
	m := vpn.Metrics{TransferByRemoteID: make(map[string]int64, len(stats))}
	for _, st := range stats {
		if st.Connected(now) {
			m.ActiveConnections++
		}
		m.TransferByRemoteID[st.PublicKey] = st.ReceiveBytes + st.TransmitBytes
	}
	return m, nil
}

// QR implements ports.Provisioner: a PNG of the client config, which the
// WireGuard apps scan.
func (p *Provisioner) QR(m vpn.Material) ([]byte, error) {
	if m.Config == "" {
		return nil, vpn.KeyNotFound()
	}
	png, err := qrcode.Encode(m.Config, qrcode.Medium, QRSize)
	if err != nil {
		return nil, fmt.Errorf("wireguard: qr code: %w", err)
	}
	return png, nil
}
