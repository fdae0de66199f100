package ports

import (
	"context"
	"strconv"
	"time"

	"gatehouse/core/identity"
	"gatehouse/core/links"
	"gatehouse/core/sessions"
	"gatehouse/core/vpn"
)

// Collection names one kind of stored record, the same in every database.
type Collection string

// The collections of a database.
const (
	CollUsers         Collection = "users"
	CollUserNumbers   Collection = "user_numbers" // every Number ever given, kept after its user
	CollFamilies      Collection = "session_families"
	CollRefreshTokens Collection = "refresh_tokens"
	CollRefreshUses   Collection = "refresh_uses"
	CollDevices       Collection = "devices"
	CollSigningKeys   Collection = "signing_keys"
	CollChallenges    Collection = "challenges"
	CollChallengeUses Collection = "challenge_uses"
	CollLinks         Collection = "links"

	CollVPNServers       Collection = "vpn_servers"
	CollVPNSubscriptions Collection = "vpn_subscriptions"
	CollVPNDevices       Collection = "vpn_devices"
	CollVPNKeys          Collection = "vpn_keys"
	CollVPNAddresses     Collection = "vpn_addresses" // WireGuard client addresses claimed by keys
	CollVPNPeerStats     Collection = "vpn_peer_stats"
	CollVPNLinks         Collection = "vpn_links"

	// CollSequences holds, for each collection whose IDs are never given
	// twice (CollVPNServers, CollVPNDevices), the highest ID it ever gave:
	// a device removed before the copy keeps its ID from being given again
	// after it.
	CollSequences Collection = "sequences"
)

// Collections returns every collection, in the order a copy writes them:
// sequences after the records they number.
func Collections() []Collection {
	return []Collection{
		CollUsers, CollUserNumbers, CollFamilies, CollRefreshTokens, CollRefreshUses,
		CollDevices, CollSigningKeys, CollChallenges, CollChallengeUses, CollLinks,
		CollVPNServers, CollVPNSubscriptions, CollVPNDevices, CollVPNKeys, CollVPNAddresses,
		CollVPNPeerStats, CollVPNLinks, CollSequences,
	}
}

// UserNumber is one Number given to a user (CollUserNumbers).
type UserNumber struct {
	Number int64
	UserID string
}

// Use is the single use of a refresh token (UserID, At) or of a challenge
// (ExpiresAt, its challenge's).
type Use struct {
	UserID    string
	At        time.Time
	ExpiresAt time.Time
}

// VPNAddress is one WireGuard client address of a server claimed by a key
// (CollVPNAddresses).
type VPNAddress struct {
	ServerID int64
	Address  string // as ports.WireGuardBook takes it
	KeyID    string
}

// Key returns the record key of a: "<server ID>|<address>".
func (a VPNAddress) Key() string { return strconv.FormatInt(a.ServerID, 10) + "|" + a.Address }

// VPNPeerStats is what the agent of a WireGuard server last reported of its
// peers (CollVPNPeerStats).
type VPNPeerStats struct {
	ServerID int64
	Peers    []vpn.PeerStat
}

// Sequence is the highest ID a collection ever gave (CollSequences).
type Sequence struct {
	Name Collection // the numbered collection; also the record's Key
	Last int64
}

// Record is one stored item of a collection, in core's types: Key and the
// field of its collection are set, the others are zero.
type Record struct {
	Key        string // the item's primary key as text: ID, hash, Number or VPNAddress.Key
	User       identity.User
	Number     UserNumber
	Family     sessions.Family
	Refresh    sessions.RefreshToken
	Use        Use
	Device     sessions.Device
	SigningKey sessions.SigningKey
	Challenge  identity.Challenge
	Link       links.Link

	VPNServer       vpn.Server // ActiveConnections is not kept
	VPNSubscription vpn.Subscription
	VPNDevice       vpn.Device
	VPNKey          vpn.AccessKey
	VPNAddress      VPNAddress
	VPNPeerStats    VPNPeerStats
	VPNLink         vpn.SubscriptionLink
	Sequence        Sequence
}

// Archive reads and writes a whole database, collection by collection, for
// moving data between databases (`gatehouse storage copy`). It is a port of
// a database rather than of one store: memstore, which has no database to
// move, does not implement it.
type Archive interface {
	// Count returns how many records c holds.
	Count(ctx context.Context, c Collection) (int64, error)
	// Scan returns at most limit records of c whose Key comes after after
	// ("" is before every key), in the database's key order (which may
	// differ between databases for composite keys such as a VPN
	// address's); paging passes the last Key returned. fault.Invalid
	// storage.collection_unknown for an unknown collection.
	Scan(ctx context.Context, c Collection, after string, limit int) ([]Record, error)
	// Put stores records in c, each replacing the stored one with its Key
	// (a user keeps its handles unique: fault.Conflict identity.*_taken
	// when another user holds one; another unique key shared with a stored
	// record is fault.Conflict storage.key_taken), so putting the same
	// records again changes nothing. A sequence is only ever raised, and a
	// put server or device raises its collection's sequence to its ID.
	// fault.Invalid storage.collection_unknown for an unknown collection,
	// storage.sequence_unknown for a sequence of a collection the database
	// does not number.
	Put(ctx context.Context, c Collection, rs []Record) error
}
