package mongostore

import (
	"time"

	"gatehouse/core/vpn"
)

// The VPN collections. Uniqueness rests on _id claims and on unique indexes
// over fields that are never empty (vpnIndexes).
const (
	colVPNServers       = "vpn_servers"        // {_id: server ID}
	colVPNSubscriptions = "vpn_subscriptions"  // {_id: user ID}
	colVPNDevices       = "vpn_devices"        // {_id: device ID}; unique client_key and slot_key
	colVPNDeviceNumbers = "vpn_device_numbers" // {_id: device ID}: claimed once, never reused
	colVPNKeys          = "vpn_keys"           // {_id: key ID}; unique slot
	colVPNAddresses     = "vpn_addresses"      // {_id: "<server>|<address>"}: one key's address
	colVPNPeerStats     = "vpn_peer_stats"     // {_id: server ID}
	colVPNLinks         = "vpn_links"          // {_id: token hash}; unique user_id
)

// vpnIndexes are the VPN collections' indexes beside _id. A device's
// client_key ("<user>|<client id>") and slot_key ("<user>#<n>", n below the
// device limit) are unique, so one insert claims the client ID and a place
// under the limit at once; a key's slot is "<user>|<device>|<server>"
// while it is live and "revoked:<id>" after, so one live key holds a slot.
func vpnIndexes() []index {
	return []index{
		{colVPNSubscriptions, "settled_at", false},
		{colVPNDevices, "user_id", false},
		{colVPNDevices, "client_key", true},
		{colVPNDevices, "slot_key", true},
		{colVPNKeys, "slot", true},
		{colVPNKeys, "user_id", false},
		{colVPNKeys, "server_id", false},
		{colVPNKeys, "dynamic_hash", false},
		{colVPNAddresses, "server_id", false},
		{colVPNAddresses, "key_id", false},
		{colVPNLinks, "user_id", true},
	}
}

type vpnServerDoc struct {
	ID         int64    `bson:"_id"`
	Country    string   `bson:"country"`
	City       string   `bson:"city"`
	PingURL    string   `bson:"ping_url"`
	Endpoint   string   `bson:"endpoint"`
	Protocol   string   `bson:"protocol"`
	Capacity   int      `bson:"capacity"`
	Enabled    bool     `bson:"enabled"`
	WGPublic   string   `bson:"wg_public_key"`
	WGPort     int      `bson:"wg_listen_port"`
	WGIPv4     string   `bson:"wg_ipv4_cidr"`
	WGIPv6     string   `bson:"wg_ipv6_cidr"`
	WGDNS      []string `bson:"wg_dns"`
	WGMTU      int      `bson:"wg_mtu"`
	WGKeep     int      `bson:"wg_keepalive"`
	WGAllowed  []string `bson:"wg_allowed_ips"`
	OutlineAPI string   `bson:"outline_api_url"`
	OutlineFP  string   `bson:"outline_cert_sha256"`
	StaticURL  string   `bson:"static_access_url"`
	StaticConf string   `bson:"static_config"`
}

func toVPNServerDoc(s vpn.Server) vpnServerDoc {
	w := s.WireGuard
	return vpnServerDoc{
		ID: s.ID, Country: s.Country, City: s.City, PingURL: s.PingURL, Endpoint: s.Endpoint,
		Protocol: string(s.Protocol), Capacity: s.Capacity, Enabled: s.Enabled,
		WGPublic: w.PublicKey, WGPort: w.ListenPort, WGIPv4: w.IPv4CIDR, WGIPv6: w.IPv6CIDR, WGDNS: w.DNS,
		WGMTU: w.MTU, WGKeep: w.Keepalive, WGAllowed: w.AllowedIPs,
		OutlineAPI: s.Outline.APIURL, OutlineFP: s.Outline.CertSHA256,
		StaticURL: s.Static.AccessURL, StaticConf: s.Static.Config,
	}
}

func (d vpnServerDoc) server() vpn.Server {
	return vpn.Server{
		ID: d.ID, Country: d.Country, City: d.City, PingURL: d.PingURL, Endpoint: d.Endpoint,
		Protocol: vpn.Protocol(d.Protocol), Capacity: d.Capacity, Enabled: d.Enabled,
		WireGuard: vpn.WireGuardSettings{PublicKey: d.WGPublic, ListenPort: d.WGPort, IPv4CIDR: d.WGIPv4,
			IPv6CIDR: d.WGIPv6, DNS: d.WGDNS, MTU: d.WGMTU, Keepalive: d.WGKeep, AllowedIPs: d.WGAllowed},
		Outline: vpn.OutlineSettings{APIURL: d.OutlineAPI, CertSHA256: d.OutlineFP},
		Static:  vpn.StaticSettings{AccessURL: d.StaticURL, Config: d.StaticConf},
	}
}

type vpnSubscriptionDoc struct {
	UserID    string     `bson:"_id"`
	Plan      string     `bson:"plan"`
	Status    string     `bson:"status"`
	StartedAt *time.Time `bson:"started_at"`
	ExpiresAt *time.Time `bson:"expires_at"`
	Devices   int        `bson:"device_limit"`
	Traffic   int64      `bson:"traffic_limit_bytes"`
	UpdatedAt *time.Time `bson:"updated_at"`
	SettledAt *time.Time `bson:"settled_at"`
}

func toVPNSubscriptionDoc(s vpn.Subscription) vpnSubscriptionDoc {
	return vpnSubscriptionDoc{
		UserID: s.UserID, Plan: s.Plan, Status: string(s.Status), StartedAt: toDBTime(s.StartedAt),
		ExpiresAt: toDBTime(s.ExpiresAt), Devices: s.DeviceLimit, Traffic: s.TrafficLimitBytes,
		UpdatedAt: toDBTime(s.UpdatedAt), SettledAt: toDBTime(s.SettledAt),
	}
}

func (d vpnSubscriptionDoc) subscription() vpn.Subscription {
	return vpn.Subscription{
		UserID: d.UserID, Plan: d.Plan, Status: vpn.Status(d.Status), StartedAt: fromDBTime(d.StartedAt),
		ExpiresAt: fromDBTime(d.ExpiresAt), DeviceLimit: d.Devices, TrafficLimitBytes: d.Traffic,
		UpdatedAt: fromDBTime(d.UpdatedAt), SettledAt: fromDBTime(d.SettledAt),
	}
}

type vpnDeviceDoc struct {
	ID        int64      `bson:"_id"`
	UserID    string     `bson:"user_id"`
	ClientID  string     `bson:"client_id"`
	ClientKey string     `bson:"client_key"`
	SlotKey   string     `bson:"slot_key"`
	Name      string     `bson:"name"`
	CreatedAt *time.Time `bson:"created_at"`
	LastSeen  *time.Time `bson:"last_seen"`
}

func (d vpnDeviceDoc) device() vpn.Device {
	return vpn.Device{ID: d.ID, UserID: d.UserID, ClientID: d.ClientID, Name: d.Name,
		CreatedAt: fromDBTime(d.CreatedAt), LastSeen: fromDBTime(d.LastSeen)}
}

type vpnMaterialDoc struct {
	RemoteID     string   `bson:"remote_id"`
	AccessURL    string   `bson:"access_url"`
	Config       string   `bson:"config"`
	PrivateKey   string   `bson:"private_key"`
	PublicKey    string   `bson:"public_key"`
	PresharedKey string   `bson:"preshared_key"`
	Addresses    []string `bson:"addresses"`
	DynamicToken string   `bson:"dynamic_token"`
}

func toVPNMaterialDoc(m vpn.Material) vpnMaterialDoc {
	return vpnMaterialDoc{RemoteID: m.RemoteID, AccessURL: m.AccessURL, Config: m.Config,
		PrivateKey: m.PrivateKey, PublicKey: m.PublicKey, PresharedKey: m.PresharedKey,
		Addresses: m.Addresses, DynamicToken: m.DynamicToken}
}

func (d vpnMaterialDoc) material() vpn.Material {
	return vpn.Material{RemoteID: d.RemoteID, AccessURL: d.AccessURL, Config: d.Config,
		PrivateKey: d.PrivateKey, PublicKey: d.PublicKey, PresharedKey: d.PresharedKey,
		Addresses: d.Addresses, DynamicToken: d.DynamicToken}
}

type vpnKeyDoc struct {
	ID          string         `bson:"_id"`
	UserID      string         `bson:"user_id"`
	DeviceID    int64          `bson:"device_id"`
	ServerID    int64          `bson:"server_id"`
	Protocol    string         `bson:"protocol"`
	Name        string         `bson:"name"`
	Slot        string         `bson:"slot"`
	ClaimedAt   *time.Time     `bson:"claimed_at"`
	IssuedAt    *time.Time     `bson:"issued_at"`
	RevokedAt   *time.Time     `bson:"revoked_at"`
	Material    vpnMaterialDoc `bson:"material"`
	DynamicHash string         `bson:"dynamic_hash"`
	Traffic     int64          `bson:"traffic_bytes"`
}

func toVPNKeyDoc(k vpn.AccessKey) vpnKeyDoc {
	slot := k.Slot()
	if !k.Live() {
		slot = revokedSlot(k.ID)
	}
	return vpnKeyDoc{
		ID: k.ID, UserID: k.UserID, DeviceID: k.DeviceID, ServerID: k.ServerID, Protocol: string(k.Protocol),
		Name: k.Name, Slot: slot, ClaimedAt: toDBTime(k.ClaimedAt), IssuedAt: toDBTime(k.IssuedAt),
		RevokedAt: toDBTime(k.RevokedAt), Material: toVPNMaterialDoc(k.Material),
		DynamicHash: k.DynamicHash, Traffic: k.TrafficBytes,
	}
}

// revokedSlot is the slot a revoked key moves to, freeing the live one.
func revokedSlot(id string) string { return "revoked:" + id }

func (d vpnKeyDoc) key() vpn.AccessKey {
	return vpn.AccessKey{
		ID: d.ID, UserID: d.UserID, DeviceID: d.DeviceID, ServerID: d.ServerID, Protocol: vpn.Protocol(d.Protocol),
		Name: d.Name, ClaimedAt: fromDBTime(d.ClaimedAt), IssuedAt: fromDBTime(d.IssuedAt),
		RevokedAt: fromDBTime(d.RevokedAt), Material: d.Material.material(),
		DynamicHash: d.DynamicHash, TrafficBytes: d.Traffic,
	}
}

type vpnPeerStatDoc struct {
	PublicKey string     `bson:"public_key"`
	Handshake *time.Time `bson:"last_handshake"`
	Rx        int64      `bson:"rx_bytes"`
	Tx        int64      `bson:"tx_bytes"`
}

type vpnPeerStatsDoc struct {
	ServerID int64            `bson:"_id"`
	Peers    []vpnPeerStatDoc `bson:"peers"`
}

func toVPNPeerStatsDoc(serverID int64, stats []vpn.PeerStat) vpnPeerStatsDoc {
	d := vpnPeerStatsDoc{ServerID: serverID, Peers: make([]vpnPeerStatDoc, 0, len(stats))}
	for _, p := range stats {
		d.Peers = append(d.Peers, vpnPeerStatDoc{PublicKey: p.PublicKey, Handshake: toDBTime(p.LastHandshake),
			Rx: p.ReceiveBytes, Tx: p.TransmitBytes})
	}
	return d
}

func (d vpnPeerStatsDoc) stats() []vpn.PeerStat {
	out := make([]vpn.PeerStat, 0, len(d.Peers))
	for _, p := range d.Peers {
		out = append(out, vpn.PeerStat{PublicKey: p.PublicKey, LastHandshake: fromDBTime(p.Handshake),
			ReceiveBytes: p.Rx, TransmitBytes: p.Tx})
	}
	return out
}

type vpnAddressDoc struct {
	ID       string `bson:"_id"`
	ServerID int64  `bson:"server_id"`
	Address  string `bson:"address"`
	KeyID    string `bson:"key_id"`
}

type vpnLinkDoc struct {
	TokenHash string     `bson:"_id"`
	UserID    string     `bson:"user_id"`
	CreatedAt *time.Time `bson:"created_at"`
}

func (d vpnLinkDoc) link() vpn.SubscriptionLink {
	return vpn.SubscriptionLink{UserID: d.UserID, TokenHash: d.TokenHash, CreatedAt: fromDBTime(d.CreatedAt)}
}
