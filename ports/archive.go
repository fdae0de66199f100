package ports

import (
	"context"
	"time"

	"gatehouse/core/identity"
	"gatehouse/core/links"
	"gatehouse/core/sessions"
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
)

// Collections returns every collection, in the order a copy writes them.
func Collections() []Collection {
	return []Collection{
		CollUsers, CollUserNumbers, CollFamilies, CollRefreshTokens, CollRefreshUses,
		CollDevices, CollSigningKeys, CollChallenges, CollChallengeUses, CollLinks,
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

// Record is one stored item of a collection, in core's types: Key and the
// field of its collection are set, the others are zero.
type Record struct {
	Key        string // the item's primary key as text: ID, hash or Number
	User       identity.User
	Number     UserNumber
	Family     sessions.Family
	Refresh    sessions.RefreshToken
	Use        Use
	Device     sessions.Device
	SigningKey sessions.SigningKey
	Challenge  identity.Challenge
	Link       links.Link
}

// Archive reads and writes a whole database, collection by collection, for
// moving data between databases (`gatehouse storage copy`). It is a port of
// a database rather than of one store: memstore, which has no database to
// move, does not implement it.
type Archive interface {
	// Count returns how many records c holds.
	Count(ctx context.Context, c Collection) (int64, error)
	// Scan returns at most limit records of c whose Key comes after after
	// ("" is before every key), in the database's key order; paging passes
	// the last Key returned. fault.Invalid storage.collection_unknown for
	// an unknown collection.
	Scan(ctx context.Context, c Collection, after string, limit int) ([]Record, error)
	// Put stores records in c, each replacing the stored one with its Key
	// (a user keeps its handles unique: fault.Conflict identity.*_taken
	// when another user holds one), so putting the same records again
	// changes nothing. fault.Invalid storage.collection_unknown for an
	// unknown collection.
	Put(ctx context.Context, c Collection, rs []Record) error
}
