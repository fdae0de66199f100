package sessions

import (
	"errors"
	"time"
)

// NewAccessClaims are the claims of an access token issued at now for family
// f, identified by jti.
func NewAccessClaims(p Policy, f Family, jti string, roles []string, now time.Time) Claims {
	return Claims{
		Issuer:    p.Issuer,
		Subject:   f.UserID,
		Audience:  f.Audience,
		ExpiresAt: now.Add(p.AccessTTL),
		IssuedAt:  now,
		ID:        jti,
		SessionID: f.ID,
		Roles:     roles,
	}
}

// CheckClaims decides whether the claims of a token whose signature already
// verified are acceptable at now for issuer and audience (exactly), allowing
// Leeway of clock skew. It returns nil, or fault.Unauthenticated with reason
// sessions.token_invalid or sessions.token_expired. Expiry is checked last so
// a token that is both foreign and old is reported as invalid.
func CheckClaims(c Claims, issuer, audience string, now time.Time) error {
	switch {
	case c.Issuer != issuer:
		return TokenInvalid(errors.New("issuer mismatch"))
	case audience == "" || c.Audience != audience:
		// An empty expected audience would accept tokens that name none.
		return TokenInvalid(errors.New("audience mismatch"))
	case c.Subject == "" || c.SessionID == "" || c.ID == "":
		return TokenInvalid(errors.New("sub, sid or jti missing"))
	case c.IssuedAt.IsZero() || c.ExpiresAt.IsZero():
		return TokenInvalid(errors.New("iat or exp missing"))
	case !c.ExpiresAt.After(c.IssuedAt):
		return TokenInvalid(errors.New("exp not after iat"))
	case c.IssuedAt.After(now.Add(Leeway)):
		return TokenInvalid(errors.New("iat in the future"))
	case now.After(c.ExpiresAt.Add(Leeway)):
		return TokenExpired()
	}
	return nil
}
