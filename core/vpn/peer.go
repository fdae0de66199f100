package vpn

import "time"

// Peer is one client as the WireGuard server must know it: what an agent
// on the VPN host applies with `wg set` (or writes as [Peer] sections).
type Peer struct {
	KeyID        string
	PublicKey    string
	PresharedKey string
	AllowedIPs   []string // the client's /32 and /128
}

// PeerOf returns the server-side peer of an issued WireGuard key.
func PeerOf(k AccessKey) Peer {
	return Peer{
		KeyID:        k.ID,
		PublicKey:    k.Material.PublicKey,
		PresharedKey: k.Material.PresharedKey,
		AllowedIPs:   append([]string(nil), k.Material.Addresses...),
	}
}

// PeerStat is what an agent on a WireGuard host reports of one peer
// (`wg show <if> dump`): its last handshake and its byte counters.
type PeerStat struct {
	PublicKey     string
	LastHandshake time.Time // zero: never
	ReceiveBytes  int64
	TransmitBytes int64
}

// HandshakeFresh is how recent a peer's handshake must be to count as an
// active connection: WireGuard rekeys every 2 minutes while traffic flows.
const HandshakeFresh = 3 * time.Minute

// Connected reports whether p counts as an active connection at now.
func (p PeerStat) Connected(now time.Time) bool {
	return !p.LastHandshake.IsZero() && now.Sub(p.LastHandshake) < HandshakeFresh
}

// Metrics is what a provisioner reports of one server.
type Metrics struct {
	ActiveConnections int
	// TransferByRemoteID is each key's transfer in bytes, by the key's
	// Material.RemoteID (WireGuard: its public key).
	TransferByRemoteID map[string]int64
}
