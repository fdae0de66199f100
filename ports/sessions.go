package ports

import (
	"context"
	"time"

	"gatehouse/core/sessions"
)

// SessionStore keeps refresh-token families, refresh tokens and devices.
// An opaque session is a family of kind sessions.KindOpaque whose single
// token record (sessions.OpaqueRecord) is stored with AddRefresh; a store
// keeps every Family field, Kind, TokenHash and LastUsedAt included.
type SessionStore interface {
	// CreateFamily stores a new family; fault.Conflict sessions.family_exists
	// when the ID is taken.
	CreateFamily(ctx context.Context, f sessions.Family) error
	// Family returns a family; fault.NotFound sessions.family_not_found.
	Family(ctx context.Context, id string) (sessions.Family, error)
	// RevokeFamily marks a family revoked at `at` for `reason`. Revoking a
	// revoked family keeps the first revocation and returns nil;
	// fault.NotFound sessions.family_not_found when absent.
	RevokeFamily(ctx context.Context, id string, at time.Time, reason string) error
	// RevokeUserFamilies revokes every live family of a user and returns
	// the IDs it revoked.
	RevokeUserFamilies(ctx context.Context, userID string, at time.Time, reason string) ([]string, error)
	// Families lists a user's families, newest first, revoked ones included.
	Families(ctx context.Context, userID string) ([]sessions.Family, error)
	// TouchFamily records a use of a family at `at`: LastUsedAt becomes
	// `at` unless the stored value is later (a touch never moves it back;
	// MongoDB: one update with $max). Every other field, revocation
	// included, is left as is. It returns the family after the touch;
	// fault.NotFound sessions.family_not_found when absent. Concurrent
	// touches need no ordering beyond a single-document update: callers
	// write at most one touch per session every few minutes.
	TouchFamily(ctx context.Context, id string, at time.Time) (sessions.Family, error)
	// RevokedSince is the revocation feed: the families whose RevokedAt is
	// at or after since, oldest revocation first (ties by ID), at most limit
	// of them; live families never appear. A process whose cache is its own
	// follows it to learn of revocations other processes wrote. The caller
	// pages by passing the last RevokedAt it got as the next since (the
	// families at that instant come again). fault.Invalid
	// sessions.limit_invalid when limit < 1.
	RevokedSince(ctx context.Context, since time.Time, limit int) ([]sessions.Family, error)

	// AddRefresh stores a refresh token by its hash; fault.Conflict
	// sessions.refresh_exists when the hash is taken.
	AddRefresh(ctx context.Context, t sessions.RefreshToken) error
	// Refresh returns the token stored under hash; fault.NotFound
	// sessions.refresh_not_found.
	Refresh(ctx context.Context, hash string) (sessions.RefreshToken, error)
	// ConsumeRefresh marks the token used, once: of any number of concurrent
	// calls for one hash exactly one returns nil, the others fault.Conflict
	// sessions.refresh_reused. fault.NotFound sessions.refresh_not_found
	// when no token has that hash.
	ConsumeRefresh(ctx context.Context, hash string, at time.Time) error
	// RotateRefresh exchanges the token stored under hash for next: it
	// consumes hash exactly as ConsumeRefresh does (same winner rule, same
	// errors) and, only when that succeeds, stores next as AddRefresh does
	// and records seen (an empty seen.ID, or a device not stored, is
	// skipped). When the consume fails nothing changes. fault.Conflict
	// sessions.refresh_exists when next's hash is taken. A store with
	// transactions does all of it in one; one without (MongoDB) does it in
	// that order, so a failure part-way leaves the token consumed without a
	// successor, as the separate calls would.
	RotateRefresh(ctx context.Context, hash string, at time.Time, next sessions.RefreshToken, seen DeviceSeen) error

	// SaveDevice inserts or replaces a device by ID.
	SaveDevice(ctx context.Context, d sessions.Device) error
	// Device returns a device; fault.NotFound sessions.device_not_found.
	Device(ctx context.Context, id string) (sessions.Device, error)
	// Devices lists a user's devices, most recently seen first.
	Devices(ctx context.Context, userID string) ([]sessions.Device, error)

	// DeleteUser removes every family, token and device of a user.
	DeleteUser(ctx context.Context, userID string) error
}

// DeviceSeen is one use of a stored device, applied as sessions.Device.Seen
// does: Name, UserAgent and IP replace the stored ones when not empty, and
// LastSeen becomes At unless the stored one is later.
type DeviceSeen struct {
	ID        string
	Name      string
	UserAgent string
	IP        string
	At        time.Time
}

// KeyStore keeps token-signing keys.
type KeyStore interface {
	// AddKey stores a key. fault.Conflict sessions.key_exists when its ID or
	// its Generation is taken: of concurrent AddKey calls with one
	// Generation exactly one succeeds, so replicas starting together agree
	// on one key.
	AddKey(ctx context.Context, k sessions.SigningKey) error
	// Keys returns every stored key, highest Generation first.
	Keys(ctx context.Context) ([]sessions.SigningKey, error)
	// RetireKey sets RetiredAt and NotAfter of a key; fault.NotFound
	// sessions.key_not_found when absent.
	RetireKey(ctx context.Context, id string, retiredAt, notAfter time.Time) error
}

// TokenSigner signs and verifies access tokens with the current keys.
type TokenSigner interface {
	// Sign returns a compact JWS of the claims, signed with the current key
	// and carrying its kid.
	Sign(ctx context.Context, c sessions.Claims) (string, error)
	// Verify checks the signature (alg pinned to the key's, kid known), iss,
	// aud (must equal audience) and exp, and returns the claims.
	// fault.Unauthenticated sessions.token_invalid or sessions.token_expired.
	Verify(ctx context.Context, token, audience string) (sessions.Claims, error)
	// JWKS returns the JSON Web Key Set of every key that may verify.
	JWKS(ctx context.Context) ([]byte, error)
	// PublicKeyPEM returns the PKIX PEM of the current signing key.
	PublicKeyPEM(ctx context.Context) ([]byte, error)
}

// DeviceInfo describes where a sign-in comes from.
type DeviceInfo struct {
	ID string // a device of the user's to reuse; empty or another's: a new device
	// ServerID names a device the server assigned (a VPN device's session
	// device, core/vpn.SessionDeviceID): reused when it is the user's, made
	// under that ID when unknown, so it can be signed out by it later. It
	// is never taken from a client.
	ServerID  string
	Name      string
	UserAgent string
	IP        string
}

// TokenPair is what a sign-in or a refresh returns.
type TokenPair struct {
	AccessToken      string
	RefreshToken     string
	TokenType        string // "Bearer"
	AccessExpiresAt  time.Time
	RefreshExpiresAt time.Time
	SessionID        string
	DeviceID         string
}

// Sessions is the session use cases that frontends call.
type Sessions interface {
	// Start begins a new refresh family for a user on a device and returns
	// the first pair. audience empty means the default audience.
	Start(ctx context.Context, userID, audience string, d DeviceInfo) (TokenPair, error)
	// Rotate exchanges a refresh token for a new pair, once. A token used
	// twice revokes its whole family (RFC 9700). fault.Unauthenticated
	// sessions.refresh_invalid for unknown, expired, revoked or reused tokens.
	Rotate(ctx context.Context, refreshToken string, d DeviceInfo) (TokenPair, error)
	// Logout revokes the family of a refresh token; fault.Unauthenticated
	// sessions.refresh_invalid when the token is unknown.
	Logout(ctx context.Context, refreshToken string) error
	// EndSession revokes a family by ID (the sid of an access token).
	EndSession(ctx context.Context, sessionID string) error
	// EndUserSessions revokes every family of a user (password change, block).
	EndUserSessions(ctx context.Context, userID, reason string) error
	// Verify checks an access token for audience (empty: the default),
	// including revocation of its session. fault.Unauthenticated
	// sessions.token_invalid, sessions.token_expired or sessions.token_revoked.
	Verify(ctx context.Context, accessToken, audience string) (sessions.Claims, error)
	// Devices lists a user's devices.
	Devices(ctx context.Context, userID string) ([]sessions.Device, error)
	DeviceSignOut

	// StartOpaque begins an opaque session, for contracts without a
	// refresh flow: a 256-bit token, stored hashed, bound to a device, with
	// a sliding idle expiry capped by an absolute lifetime.
	StartOpaque(ctx context.Context, userID string, d DeviceInfo) (OpaqueToken, error)
	// VerifyOpaque checks an opaque token cache-first (no storage round trip
	// on the hot path), extends its idle expiry, and returns the session as
	// claims (Subject = user, SessionID = session). fault.Unauthenticated
	// sessions.token_invalid, sessions.token_expired or sessions.token_revoked.
	VerifyOpaque(ctx context.Context, token string) (sessions.Claims, error)
}

// OpaqueToken is what StartOpaque returns.
type OpaqueToken struct {
	Token     string
	SessionID string
	DeviceID  string
	ExpiresAt time.Time // the idle expiry at issue
}

// DeviceSignOut ends the sessions started on one device.
type DeviceSignOut interface {
	// EndDevice signs a user out on one of their devices: every live
	// session (refresh family or opaque session) of the user started there
	// is revoked as EndSession revokes one. fault.NotFound
	// sessions.device_not_found when the device is not the user's, so one
	// user cannot end another's sessions by naming their device.
	EndDevice(ctx context.Context, userID, deviceID string) error
}
