package ports

import (
	"context"
	"time"

	"gatehouse/core/vpn"
)

// VPNStore keeps VPN servers, subscriptions, devices, access keys, the
// WireGuard address claims and subscription links. Every limit it enforces
// holds under concurrent calls, on several replicas too: AddDevice never
// lets a user exceed the limit, ClaimKey gives a slot to one caller,
// ClaimAddress gives an address to one key. Storage failures are
// fault.Unavailable storage.unavailable.
type VPNStore interface {
	WireGuardBook

	// AddServer stores s with a new ID (the highest ever given plus one,
	// from 1) and returns it as stored. ActiveConnections is not kept.
	AddServer(ctx context.Context, s vpn.Server) (vpn.Server, error)
	// Server returns one server; fault.NotFound vpn.server_not_found.
	Server(ctx context.Context, id int64) (vpn.Server, error)
	// Servers lists every server, by ID.
	Servers(ctx context.Context) ([]vpn.Server, error)
	// SetServerEnabled turns a server on or off; fault.NotFound
	// vpn.server_not_found.
	SetServerEnabled(ctx context.Context, id int64, enabled bool) error

	// SaveSubscription stores s as its user's subscription, replacing any.
	SaveSubscription(ctx context.Context, s vpn.Subscription) error
	// Subscription returns a user's subscription as stored; fault.NotFound
	// vpn.subscription_not_found.
	Subscription(ctx context.Context, userID string) (vpn.Subscription, error)
	// UnsettledSubscriptions returns up to limit subscriptions that have
	// ended by now (status not active, or ExpiresAt not after now) and have
	// no SettledAt, earliest ExpiresAt first. fault.Invalid
	// vpn.limit_invalid when limit < 1.
	UnsettledSubscriptions(ctx context.Context, now time.Time, limit int) ([]vpn.Subscription, error)
	// SettleSubscription sets SettledAt of a user's subscription to at when
	// its stored UpdatedAt equals updatedAt, and reports whether it did (a
	// grant in between leaves it alone). fault.NotFound
	// vpn.subscription_not_found.
	SettleSubscription(ctx context.Context, userID string, updatedAt, at time.Time) (bool, error)

	// AddDevice registers d (its ID is ignored) for d.UserID. When the user
	// has a device with d.ClientID it is returned with Name and LastSeen set
	// to d's; otherwise, when the user has fewer than limit devices, d is
	// stored with a new ID (unique across users, never given twice) and
	// returned; otherwise fault.Forbidden vpn.device_limit. Of concurrent
	// calls for one user no more than limit devices result, and calls with
	// one ClientID yield one device.
	AddDevice(ctx context.Context, d vpn.Device, limit int) (vpn.Device, error)
	// Device returns a user's device by ID; fault.NotFound
	// vpn.device_not_found, also when it is another user's.
	Device(ctx context.Context, userID string, id int64) (vpn.Device, error)
	// DeviceByClientID returns a user's device by the client's own id;
	// fault.NotFound vpn.device_not_found.
	DeviceByClientID(ctx context.Context, userID, clientID string) (vpn.Device, error)
	// Devices lists a user's devices, oldest first.
	Devices(ctx context.Context, userID string) ([]vpn.Device, error)
	// RemoveDevice deletes a user's device, freeing its slot; its keys stay
	// as they are. fault.NotFound vpn.device_not_found.
	RemoveDevice(ctx context.Context, userID string, id int64) error

	// ClaimKey stores k, a key without material, as the live key of its
	// user, device and server. fault.Conflict vpn.key_claimed when that slot
	// has a live key: of concurrent claims of one slot exactly one succeeds.
	ClaimKey(ctx context.Context, k vpn.AccessKey) error
	// LiveKey returns the live key (issued or only claimed) of a user,
	// device and server; fault.NotFound vpn.key_not_found.
	LiveKey(ctx context.Context, userID string, deviceID, serverID int64) (vpn.AccessKey, error)
	// Key returns a key by ID, revoked ones included; fault.NotFound
	// vpn.key_not_found.
	Key(ctx context.Context, id string) (vpn.AccessKey, error)
	// KeyByDynamicHash returns the key whose DynamicHash is hash, revoked
	// ones included; fault.NotFound vpn.key_not_found.
	KeyByDynamicHash(ctx context.Context, hash string) (vpn.AccessKey, error)
	// IssueKey gives a live claimed key its material and IssuedAt.
	// fault.NotFound vpn.key_not_found when the key is absent or revoked.
	IssueKey(ctx context.Context, id string, m vpn.Material, at time.Time) (vpn.AccessKey, error)
	// DropClaim deletes a key that has no material yet, freeing its slot;
	// nil when absent, and an issued key is left alone (nil).
	DropClaim(ctx context.Context, id string) error
	// RevokeKey sets RevokedAt of a key and frees its slot. Revoking a
	// revoked key keeps the first time and returns nil; fault.NotFound
	// vpn.key_not_found when absent.
	RevokeKey(ctx context.Context, id string, at time.Time) error
	// UserKeys lists a user's live keys (claimed ones included), oldest first.
	UserKeys(ctx context.Context, userID string) ([]vpn.AccessKey, error)
	// ServerKeys lists a server's live keys (claimed ones included), oldest first.
	ServerKeys(ctx context.Context, serverID int64) ([]vpn.AccessKey, error)
	// SetKeyTraffic records a key's transfer as its provisioner reported
	// it; an absent key is ignored (nil).
	SetKeyTraffic(ctx context.Context, id string, bytes int64) error
	// SavePeerStats replaces what the agent of a WireGuard server last
	// reported of its peers.
	SavePeerStats(ctx context.Context, serverID int64, stats []vpn.PeerStat) error

	// SaveLink stores a user's subscription link, replacing the user's
	// previous one. fault.Conflict vpn.link_taken when another user's link
	// has the same hash.
	SaveLink(ctx context.Context, l vpn.SubscriptionLink) error
	// LinkByHash returns the link whose TokenHash is hash; fault.NotFound
	// vpn.link_not_found.
	LinkByHash(ctx context.Context, hash string) (vpn.SubscriptionLink, error)
	// DeleteLink removes a user's link; nil when there is none.
	DeleteLink(ctx context.Context, userID string) error

	// DeleteVPNUser removes a user's subscription, devices, keys, address
	// claims and link.
	DeleteVPNUser(ctx context.Context, userID string) error
}

// WireGuardBook is the part of VPNStore the WireGuard provisioner uses:
// client address claims and what the server's agent reports.
type WireGuardBook interface {
	// ClaimAddress records that addr (an IP address without prefix, as
	// netip.Addr.String writes it) on a server is keyID's. fault.Conflict
	// vpn.address_taken when the address is claimed: of concurrent claims
	// of one address exactly one succeeds.
	ClaimAddress(ctx context.Context, serverID int64, addr, keyID string) error
	// AddressesInUse lists the claimed addresses of a server, in no order.
	AddressesInUse(ctx context.Context, serverID int64) ([]string, error)
	// ReleaseAddresses frees every address keyID claimed; nil when none.
	ReleaseAddresses(ctx context.Context, keyID string) error
	// PeerStats returns what the server's agent last reported (none: empty).
	PeerStats(ctx context.Context, serverID int64) ([]vpn.PeerStat, error)
}
