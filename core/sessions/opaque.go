package sessions

import (
	"errors"
	"time"
)

// The kinds of Family.
const (
	// KindRefresh is a chain of rotating refresh tokens with JWT access
	// tokens. It is the zero value, so records from before kinds read as it.
	KindRefresh = ""
	// KindOpaque is an opaque session: one 256-bit bearer token, for
	// contracts without a refresh flow, that slides its idle expiry on use
	// up to an absolute end.
	KindOpaque = "opaque"
)

// Opaque tokens share the refresh token's format and hashing: RefreshBytes
// of randomness, base64url without padding (NewRefreshSecret), stored as
// HashRefresh. OpaqueTokenLen is the length of such a token.
const OpaqueTokenLen = (RefreshBytes*8 + 5) / 6

// NewOpaqueFamily starts an opaque session for a sign-in at now whose token
// hashes to hash. It ends OpaqueIdleTTL after its last use, and
// OpaqueMaxTTL after now at the latest.
func NewOpaqueFamily(p Policy, id, userID, deviceID, hash string, now time.Time) Family {
	f := NewFamily(p, id, userID, deviceID, "", now)
	f.ExpiresAt = now.Add(p.OpaqueMaxTTL)
	f.Kind, f.TokenHash, f.LastUsedAt = KindOpaque, hash, now
	return f
}

// OpaqueRecord is the stored token record that finds opaque session f by
// its token hash. It has the shape of f's first refresh token, lives until
// f's absolute end, and is never exchanged: CheckRefresh refuses the
// tokens of opaque families.
func OpaqueRecord(f Family) RefreshToken {
	return RefreshToken{
		Hash:      f.TokenHash,
		FamilyID:  f.ID,
		UserID:    f.UserID,
		Seq:       1,
		IssuedAt:  f.CreatedAt,
		ExpiresAt: f.ExpiresAt,
	}
}

// OpaqueEnd is when opaque session f ends unless used again: OpaqueIdleTTL
// after its last recorded use, never past its absolute end. Uses are
// recorded at most every OpaqueTouchEvery, so a session ends at most that
// much before a full idle lifetime has passed since its true last use.
func OpaqueEnd(p Policy, f Family) time.Time {
	end := f.LastUsedAt.Add(p.OpaqueIdleTTL)
	if f.ExpiresAt.Before(end) {
		return f.ExpiresAt
	}
	return end
}

// CheckOpaque decides whether opaque session f may be used at now. It
// returns nil or a fault.Unauthenticated: sessions.token_invalid when f is
// not an opaque session, sessions.token_revoked when it ended, or
// sessions.token_expired when it sat idle too long or reached its end.
func CheckOpaque(p Policy, f Family, now time.Time) error {
	switch {
	case f.Kind != KindOpaque:
		return TokenInvalid(errors.New("not an opaque session"))
	case f.Revoked():
		return TokenRevoked()
	case !now.Before(OpaqueEnd(p, f)):
		return TokenExpired()
	}
	return nil
}

// OpaqueTouchDue reports whether a use of f at now should be written back
// to the store: its recorded last use is OpaqueTouchEvery old or more.
func OpaqueTouchDue(p Policy, f Family, now time.Time) bool {
	return now.Sub(f.LastUsedAt) >= p.OpaqueTouchEvery
}

// OpaqueClaims presents a verified opaque session as claims: Subject is
// the user, SessionID and ID the session, ExpiresAt its current end.
func OpaqueClaims(p Policy, f Family) Claims {
	return Claims{
		Issuer:    p.Issuer,
		Subject:   f.UserID,
		Audience:  f.Audience,
		ExpiresAt: OpaqueEnd(p, f),
		IssuedAt:  f.CreatedAt,
		ID:        f.ID,
		SessionID: f.ID,
	}
}

// WellFormedOpaque reports whether token could be an opaque token: exactly
// OpaqueTokenLen characters of the base64url alphabet. Anything else is
// refused without a lookup, so garbage costs nothing downstream.
func WellFormedOpaque(token string) bool {
	if len(token) != OpaqueTokenLen {
		return false
	}
	for i := range len(token) {
		c := token[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
