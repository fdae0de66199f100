package sessionsvc

import (
	"context"
	"fmt"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
)

// Revocation reasons recorded on families.
const (
	reasonLogout = "logout"
	reasonAdmin  = "admin"
)

// revokedKey is the cache key that marks a family's access tokens as revoked.
func revokedKey(familyID string) string { return "sessions:revoked:" + familyID }

// Logout implements ports.Sessions. Any known token of the family, even an
// already exchanged one, ends it.
func (s *Service) Logout(ctx context.Context, refreshToken string) error {
	t, _, err := s.lookup(ctx, refreshToken)
	if err != nil {
		return err
	}
	return s.revoke(ctx, t.FamilyID, s.clock.Now(), reasonLogout)
}

// EndSession implements ports.Sessions. It is idempotent: an unknown or
// already ended session is not an error, and its access tokens are refused
// from now on either way.
func (s *Service) EndSession(ctx context.Context, sessionID string) error {
	if sessionID == "" {
		return fault.Invalidf("session_id", "required", "A session is required.")
	}
	err := s.revoke(ctx, sessionID, s.clock.Now(), reasonLogout)
	if fault.Is(err, fault.NotFound) {
		return s.deny(ctx, sessionID)
	}
	return err
}

// EndUserSessions implements ports.Sessions.
func (s *Service) EndUserSessions(ctx context.Context, userID, reason string) error {
	if userID == "" {
		return fault.Invalidf("user_id", "required", "A user is required.")
	}
	if reason == "" {
		reason = reasonAdmin
	}
	ids, err := s.store.RevokeUserFamilies(ctx, userID, s.clock.Now(), reason)
	if err != nil {
		return fmt.Errorf("sessionsvc: revoke user families: %w", err)
	}
	for _, id := range ids {
		if err := s.deny(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// revoke ends a family in the store, then deny-lists its access tokens.
// fault.NotFound sessions.family_not_found when absent.
func (s *Service) revoke(ctx context.Context, familyID string, now time.Time, reason string) error {
	if err := s.store.RevokeFamily(ctx, familyID, now, reason); err != nil {
		if fault.Is(err, fault.NotFound) {
			return err
		}
		return fmt.Errorf("sessionsvc: revoke family: %w", err)
	}
	return s.deny(ctx, familyID)
}

// deny marks a family's access tokens revoked on every replica. The entry
// outlives the longest-lived access token of the family: its exp plus the
// leeway Verify allows, inclusive (hence the extra second).
func (s *Service) deny(ctx context.Context, familyID string) error {
	ttl := s.policy.AccessTTL + sessions.Leeway + time.Second
	if err := s.cache.Set(ctx, revokedKey(familyID), []byte{1}, ttl); err != nil {
		return fault.Wrap(err, fault.Unavailable, "sessions.cache_unavailable", "Service temporarily unavailable.")
	}
	return nil
}

// Verify implements ports.Sessions: the signature and claims through the
// Signer, then the deny-list, so a revoked session's tokens are refused at
// once on every replica.
func (s *Service) Verify(ctx context.Context, accessToken, audience string) (sessions.Claims, error) {
	c, err := s.signer.Verify(ctx, accessToken, s.policy.AudienceOr(audience))
	if err != nil {
		return sessions.Claims{}, err
	}
	_, revoked, err := s.cache.Get(ctx, revokedKey(c.SessionID))
	if err != nil {
		// Fail closed: without the deny-list a revoked token could pass.
		return sessions.Claims{}, fault.Wrap(err, fault.Unavailable, "sessions.cache_unavailable", "Service temporarily unavailable.")
	}
	if revoked {
		return sessions.Claims{}, sessions.TokenRevoked()
	}
	return c, nil
}
