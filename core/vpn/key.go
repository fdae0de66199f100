package vpn

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"
)

// IDBytes is how many random bytes make a key ID or a secret token: 128
// bits, so they never collide and cannot be guessed.
const IDBytes = 16

// ClaimTTL is how long a claimed key may wait for its material. A claim
// older than that was left by a process that died half-way, so the next
// request for the same slot removes it and claims again.
const ClaimTTL = 2 * time.Minute

// AccessKey is one user's key to one server for one device. Of the keys of
// one user, device and server at most one is live (not revoked); a revoked
// key stays as a record and a new one may be issued.
type AccessKey struct {
	ID        string // random, from NewToken
	UserID    string
	DeviceID  int64
	ServerID  int64
	Protocol  Protocol
	Name      string // the label the provisioner shows, e.g. "alice@example.com · iPhone"
	ClaimedAt time.Time
	// IssuedAt is when the provisioner made the key; zero while the key is
	// only claimed (its Material is then empty).
	IssuedAt  time.Time
	RevokedAt time.Time // zero while live
	Material  Material
	// DynamicHash is TokenHash of the token of the key's dynamic access
	// URL (Outline ssconf://), which Material.DynamicToken holds.
	DynamicHash string
	// TrafficBytes is the key's transfer as the provisioner last reported it.
	TrafficBytes int64
}

// Material is what a provisioner made for a key: what the client needs to
// connect and what the server needs to accept it.
type Material struct {
	// RemoteID is the key's id at the provisioner (Outline's access key id).
	RemoteID string
	// AccessURL is a client's one-line key: Outline's ss:// URL, a static URL.
	AccessURL string
	// Config is a client's config file: a wg-quick file for WireGuard.
	Config string
	// WireGuard: the client's key pair, the preshared key and the client's
	// addresses with prefix length ("10.8.0.2/32", "fdcc::2/128").
	PrivateKey   string
	PublicKey    string
	PresharedKey string
	Addresses    []string
	// DynamicToken is the secret of the key's dynamic access URL.
	DynamicToken string
}

// Slot names the one live key a user, device and server may have.
func Slot(userID string, deviceID, serverID int64) string {
	return userID + "|" + strconv.FormatInt(deviceID, 10) + "|" + strconv.FormatInt(serverID, 10)
}

// Slot returns the slot k occupies while live.
func (k AccessKey) Slot() string { return Slot(k.UserID, k.DeviceID, k.ServerID) }

// Live reports whether k is not revoked.
func (k AccessKey) Live() bool { return k.RevokedAt.IsZero() }

// Issued reports whether k is live and has its material.
func (k AccessKey) Issued() bool { return k.Live() && !k.IssuedAt.IsZero() }

// Abandoned reports whether k is a claim without material older than
// ClaimTTL at now, left by a process that stopped half-way.
func (k AccessKey) Abandoned(now time.Time) bool {
	return k.Live() && k.IssuedAt.IsZero() && now.Sub(k.ClaimedAt) >= ClaimTTL
}

// NewClaim returns the claim of a new key of user, device and server at
// now: no material yet. id and dynamicToken come from NewToken.
func NewClaim(id, userID string, device Device, s Server, dynamicToken string, now time.Time) AccessKey {
	return AccessKey{
		ID:          id,
		UserID:      userID,
		DeviceID:    device.ID,
		ServerID:    s.ID,
		Protocol:    s.Protocol,
		Name:        device.Name,
		ClaimedAt:   now,
		DynamicHash: TokenHash(dynamicToken),
		Material:    Material{DynamicToken: dynamicToken},
	}
}

// NewToken turns at least IDBytes random bytes into a key ID or a secret
// token (22 base64url characters).
func NewToken(random []byte) (string, error) {
	if len(random) < IDBytes {
		return "", fmt.Errorf("vpn: token needs %d random bytes, got %d", IDBytes, len(random))
	}
	return base64.RawURLEncoding.EncodeToString(random[:IDBytes]), nil
}

// TokenHash is how a secret token is stored and looked up: hex SHA-256.
// Tokens carry 128 random bits, so a plain hash suffices.
func TokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
