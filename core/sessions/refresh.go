package sessions

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"
)

// RefreshBytes is the entropy of a refresh token: 256 bits.
const RefreshBytes = 32

// IDBytes is the entropy of a family, device or token ID: 128 bits, enough
// that IDs drawn at random never collide in practice.
const IDBytes = 16

// NewID encodes random bytes (at least IDBytes) as a URL-safe ID.
func NewID(random []byte) (string, error) {
	if len(random) < IDBytes {
		return "", fmt.Errorf("sessions: id needs %d random bytes, got %d", IDBytes, len(random))
	}
	return base64.RawURLEncoding.EncodeToString(random), nil
}

// NewRefreshSecret turns exactly RefreshBytes random bytes into an opaque
// refresh token (base64url, what the client holds) and its hash (what the
// store keeps).
func NewRefreshSecret(random []byte) (token, hash string, err error) {
	if len(random) != RefreshBytes {
		return "", "", fmt.Errorf("sessions: refresh token needs %d random bytes, got %d", RefreshBytes, len(random))
	}
	token = base64.RawURLEncoding.EncodeToString(random)
	return token, HashRefresh(token), nil
}

// HashRefresh returns the hex SHA-256 of an opaque refresh token. A fast hash
// suffices: the token carries 256 bits of entropy, so there is nothing to
// brute-force, and the store never sees a usable token.
func HashRefresh(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewFamily starts a refresh family for a sign-in at now. Its absolute end is
// now + SessionTTL, however often it is refreshed.
func NewFamily(p Policy, id, userID, deviceID, audience string, now time.Time) Family {
	return Family{
		ID:        id,
		UserID:    userID,
		DeviceID:  deviceID,
		Audience:  p.AudienceOr(audience),
		CreatedAt: now,
		ExpiresAt: now.Add(p.SessionTTL),
	}
}

// FirstRefresh is the first refresh token of a new family.
func FirstRefresh(p Policy, f Family, hash string, now time.Time) RefreshToken {
	return refreshAt(p, f, hash, 1, now)
}

// NextRefresh is the token that replaces prev when prev is rotated at now.
func NextRefresh(p Policy, f Family, prev RefreshToken, hash string, now time.Time) RefreshToken {
	return refreshAt(p, f, hash, prev.Seq+1, now)
}

// refreshAt lives RefreshTTL from now but never past the family's end.
func refreshAt(p Policy, f Family, hash string, seq int, now time.Time) RefreshToken {
	exp := now.Add(p.RefreshTTL)
	if !f.ExpiresAt.IsZero() && f.ExpiresAt.Before(exp) {
		exp = f.ExpiresAt
	}
	return RefreshToken{
		Hash:      hash,
		FamilyID:  f.ID,
		UserID:    f.UserID,
		Seq:       seq,
		IssuedAt:  now,
		ExpiresAt: exp,
	}
}

// CheckRefresh decides whether a presented refresh token t of family f may
// still be exchanged at now. It does not know whether t was already used:
// that is settled atomically by the store when the token is consumed.
// It returns nil or a fault.Unauthenticated sessions.refresh_invalid whose
// cause is ErrRefreshUnknown, ErrFamilyRevoked, ErrFamilyExpired or
// ErrRefreshExpired.
func CheckRefresh(f Family, t RefreshToken, now time.Time) error {
	switch {
	case t.FamilyID != f.ID || t.UserID != f.UserID || f.Kind != KindRefresh:
		// An opaque session's token is found like a refresh token but must
		// never be exchanged for a token pair.
		return RefreshInvalid(ErrRefreshUnknown)
	case f.Revoked():
		return RefreshInvalid(ErrFamilyRevoked)
	case !now.Before(f.ExpiresAt):
		return RefreshInvalid(ErrFamilyExpired)
	case !now.Before(t.ExpiresAt):
		return RefreshInvalid(ErrRefreshExpired)
	}
	return nil
}
