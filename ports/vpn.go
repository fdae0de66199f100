package ports

import (
	"context"

	"gatehouse/core/vpn"
)

// Provisioner makes and removes access keys on the VPN servers of one
// protocol. Failures to reach the server are fault.Unavailable
// vpn.provisioner_unavailable.
type Provisioner interface {
	// Protocol is the protocol of the servers this provisioner serves.
	Protocol() vpn.Protocol
	// Create makes key k (claimed, without material) on server s, with a
	// traffic budget of limitBytes where the protocol has one (0:
	// unlimited), and returns its material; k.Material.DynamicToken comes
	// back unchanged. A failed Create leaves nothing behind at the server
	// or in the store. fault.Unavailable vpn.pool_exhausted when the server
	// has no room; fault.Unavailable vpn.provisioner_unavailable.
	Create(ctx context.Context, s vpn.Server, k vpn.AccessKey, limitBytes int64) (vpn.Material, error)
	// Revoke removes key k from server s and frees what it held (its
	// addresses). It is idempotent: a key the server does not have (removed
	// before, or a claim the server never made) is nil. It also takes a
	// claim without material, for a Create that stopped half-way.
	// fault.Unavailable vpn.provisioner_unavailable.
	Revoke(ctx context.Context, s vpn.Server, k vpn.AccessKey) error
	// Rename sets the label the server shows for k (nil where servers show
	// none). fault.NotFound vpn.key_not_found when the server lacks the
	// key; fault.Unavailable vpn.provisioner_unavailable.
	Rename(ctx context.Context, s vpn.Server, k vpn.AccessKey, name string) error
	// Metrics reports the server's active connections and each key's
	// transfer. fault.Unavailable vpn.provisioner_unavailable.
	Metrics(ctx context.Context, s vpn.Server) (vpn.Metrics, error)
	// QR returns a PNG QR code of what a client app scans for key material
	// m (a WireGuard config, an Outline access URL). fault.NotFound
	// vpn.key_not_found when m has nothing to scan.
	QR(m vpn.Material) ([]byte, error)
}

// Provisioners is the set of configured provisioners, one per protocol.
type Provisioners []Provisioner

// For returns the provisioner of protocol p; fault.Unavailable
// vpn.provisioner_missing when none was configured.
func (ps Provisioners) For(p vpn.Protocol) (Provisioner, error) {
	for _, x := range ps {
		if x.Protocol() == p {
			return x, nil
		}
	}
	return nil, vpn.NoProvisioner(p)
}

// VPN is the VPN use cases that frontends, the CLI and the agents on VPN
// hosts call. A deviceRef names one of the user's devices: its server ID in
// decimal, or else the client's own device id. Storage failures are
// fault.Unavailable storage.unavailable.
type VPN interface {
	// RegisterDevice records the device a user signs in with (used at
	// login) and returns it with its server ID: the user's device with
	// clientID when there is one (name and last seen updated), else a new
	// one within the device limit of the user's subscription (a user
	// without one may register Deps.DefaultDeviceLimit devices).
	// fault.Invalid on "device_id" or "device_name"; fault.Forbidden
	// vpn.device_limit, whose message says how to free a slot.
	RegisterDevice(ctx context.Context, userID, clientID, name string) (vpn.Device, error)
	// Devices lists a user's devices, oldest first.
	Devices(ctx context.Context, userID string) ([]vpn.Device, error)
	// RemoveDevice revokes the device's keys at their servers and deletes
	// the device, freeing its slot. fault.NotFound vpn.device_not_found;
	// fault.Unavailable vpn.provisioner_unavailable (the device stays, and
	// keys already revoked stay revoked).
	RemoveDevice(ctx context.Context, userID string, deviceID int64) error

	// Subscription returns the user's subscription with its status as it
	// stands now (an active one past its expiry reads expired).
	// fault.NotFound vpn.subscription_not_found.
	Subscription(ctx context.Context, userID string) (vpn.Subscription, error)
	// Servers lists the enabled servers as Server.Public shows them, by ID,
	// with ActiveConnections from the background refresh (never fetched
	// here). deviceRef may be "" or "0" (no device); else fault.NotFound
	// vpn.device_not_found when the user has no such device.
	Servers(ctx context.Context, userID, deviceRef string) ([]vpn.Server, error)
	// Key returns the user's key for a device and server, making it on
	// first request: asking again returns the same key, concurrent first
	// requests get one key, and a revoked key is replaced by a new one.
	// fault.NotFound vpn.device_not_found, vpn.server_not_found or
	// vpn.server_disabled; fault.Forbidden vpn.subscription_inactive;
	// fault.Unavailable vpn.provisioner_unavailable, vpn.provisioner_missing,
	// vpn.pool_exhausted or vpn.key_pending (nothing half-made stays).
	Key(ctx context.Context, userID, deviceRef string, serverID int64) (vpn.AccessKey, error)
	// KeyQR is Key's material as a PNG QR code, with Key's faults.
	KeyQR(ctx context.Context, userID, deviceRef string, serverID int64) ([]byte, error)
	// Keys lists the user's issued live keys, oldest first.
	Keys(ctx context.Context, userID string) ([]vpn.AccessKey, error)

	// IssueLink makes the user's secret subscription link token, replacing
	// (and so revoking) any previous one; only its hash is stored.
	IssueLink(ctx context.Context, userID string) (string, error)
	// RevokeLink ends the user's subscription link; nil when there is none.
	RevokeLink(ctx context.Context, userID string) error
	// ResolveLink returns the user whose link token this is; fault.NotFound
	// vpn.link_not_found.
	ResolveLink(ctx context.Context, token string) (string, error)
	// SubscriptionFeed returns what the link token answers: the user's
	// issued live keys with their servers and the userinfo figures.
	// fault.NotFound vpn.link_not_found; fault.Forbidden
	// vpn.subscription_inactive once the subscription has ended.
	SubscriptionFeed(ctx context.Context, token string) (vpn.Feed, error)
	// DynamicKey returns the key of a dynamic access URL token (Outline
	// ssconf://). fault.NotFound vpn.key_not_found for an unknown or revoked
	// key; fault.Forbidden vpn.subscription_inactive once the subscription
	// has ended, so a client stops on its next fetch.
	DynamicKey(ctx context.Context, token string) (vpn.AccessKey, error)

	// Peers lists the peers a WireGuard server must have now (its issued
	// live keys), for the agent on the VPN host. fault.NotFound
	// vpn.server_not_found; fault.Invalid "server_id" for a server that is
	// not WireGuard.
	Peers(ctx context.Context, serverID int64) ([]vpn.Peer, error)
	// ReportPeers records what a WireGuard server's agent saw of its peers
	// (handshakes, transfer), from which its active connections are
	// counted. fault.NotFound vpn.server_not_found; fault.Invalid
	// "server_id" for a server that is not WireGuard.
	ReportPeers(ctx context.Context, serverID int64, stats []vpn.PeerStat) error

	// AddServer checks s, fills wg-easy's defaults and stores it, enabled
	// or not as s says. fault.Invalid on the field at fault.
	AddServer(ctx context.Context, s vpn.Server) (vpn.Server, error)
	// ListServers lists every server with its full settings, by ID, with
	// ActiveConnections as last refreshed. For administrators only.
	ListServers(ctx context.Context) ([]vpn.Server, error)
	// EnableServer and DisableServer switch a server on and off for new
	// keys and the server list; keys already issued stay.
	// fault.NotFound vpn.server_not_found.
	EnableServer(ctx context.Context, id int64) error
	DisableServer(ctx context.Context, id int64) error
	// Grant gives a user days of access with a device limit: an active
	// subscription is extended from its expiry, an ended or missing one
	// starts now. fault.Invalid on "days", "devices" or "traffic_limit".
	Grant(ctx context.Context, userID string, g vpn.Grant) (vpn.Subscription, error)
	// RevokeSubscription cancels a user's subscription and revokes its keys
	// at their servers; keys a server could not revoke now are revoked by
	// the background job. fault.NotFound vpn.subscription_not_found.
	RevokeSubscription(ctx context.Context, userID string) (vpn.Subscription, error)
}
