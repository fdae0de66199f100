// Package sessions is the pure model of how long a person stays signed in:
// access-token claims, opaque refresh tokens grouped in families that rotate
// with reuse detection (RFC 9700), devices and signing keys.
package sessions

import "time"

// Claims are the contents of an access token.
type Claims struct {
	Issuer    string
	Subject   string // user ID
	Audience  string
	ExpiresAt time.Time
	IssuedAt  time.Time
	ID        string // jti
	SessionID string // sid: the refresh family the token was issued for
	Roles     []string
}

// Family is one chain of refresh tokens started by one sign-in. Revoking it
// ends every token of the chain and every access token that names it as sid.
type Family struct {
	ID        string
	UserID    string
	DeviceID  string
	Audience  string
	CreatedAt time.Time
	ExpiresAt time.Time // absolute end of the chain
	RevokedAt time.Time // zero while live
	Reason    string    // why it was revoked: logout, reuse, password, admin
	// Kind is KindRefresh ("") for a refresh-token chain or KindOpaque for
	// an opaque session; records stored before kinds existed read as "".
	Kind string
	// TokenHash is an opaque session's token hash (hex SHA-256), so ending
	// the session by ID can also drop its cache entry. Empty for refresh
	// families, whose tokens rotate.
	TokenHash string
	// LastUsedAt is when an opaque session was last seen in use, as written
	// back at a coarse interval; its idle expiry counts from here.
	LastUsedAt time.Time
}

// Revoked reports whether the family was revoked.
func (f Family) Revoked() bool { return !f.RevokedAt.IsZero() }

// RefreshToken is one stored refresh token. Only its hash is kept.
type RefreshToken struct {
	Hash      string // hex SHA-256 of the opaque token
	FamilyID  string
	UserID    string
	Seq       int // position in the family, from 1
	IssuedAt  time.Time
	ExpiresAt time.Time
}

// Device is what a user signs in from.
type Device struct {
	ID        string
	UserID    string
	Name      string
	UserAgent string
	IP        string
	CreatedAt time.Time
	LastSeen  time.Time
}

// SigningKey is one token-signing key pair, kept as PKCS#8 / PKIX PEM.
type SigningKey struct {
	ID         string // the JWT kid
	Algorithm  string // EdDSA, ES256 or RS256
	Generation int64  // unique; the newest unretired generation signs
	PrivatePEM []byte
	PublicPEM  []byte
	CreatedAt  time.Time
	RetiredAt  time.Time // zero while it may sign; after, it only verifies
	NotAfter   time.Time // zero, or when it leaves the JWKS (retired + token lifetime)
}

// Retired reports whether the key no longer signs.
func (k SigningKey) Retired() bool { return !k.RetiredAt.IsZero() }
