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
// already exchanged one, ends it; so does an opaque session's token, which
// lets a contract whose logout carries only that token end its session.
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
	now := s.clock.Now()
	err := s.revoke(ctx, sessionID, now, reasonLogout)
	if fault.Is(err, fault.NotFound) {
		s.remember(sessionID, now)
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
	now := s.clock.Now()
	ids, err := s.store.RevokeUserFamilies(ctx, userID, now, reason)
	if err != nil {
		return fmt.Errorf("sessionsvc: revoke user families: %w", err)
	}
	for _, id := range ids {
		s.remember(id, now)
	}
	for _, id := range ids {
		if err := s.deny(ctx, id); err != nil {
			return err
		}
	}
	fs, err := s.store.Families(ctx, userID)
	if err != nil {
		return fmt.Errorf("sessionsvc: list user families: %w", err)
	}
	// Every opaque entry of the user goes, not only those revoked just now:
	// an older one holds at most a revoked record, and a session started
	// meanwhile is only recached from the store.
	return s.forget(ctx, fs...)
}

// revoke ends a family in the store, then deny-lists its access tokens,
// then drops its cached record if it is an opaque session. In this order a
// check that recaches a stale live record afterwards still reads the
// deny-list key (see opaque.go). fault.NotFound sessions.family_not_found
// when absent.
func (s *Service) revoke(ctx context.Context, familyID string, now time.Time, reason string) error {
	if err := s.store.RevokeFamily(ctx, familyID, now, reason); err != nil {
		if fault.Is(err, fault.NotFound) {
			return err
		}
		return fmt.Errorf("sessionsvc: revoke family: %w", err)
	}
	s.remember(familyID, now)
	if err := s.deny(ctx, familyID); err != nil {
		return err
	}
	f, err := s.store.Family(ctx, familyID)
	if err != nil {
		return fmt.Errorf("sessionsvc: load revoked family: %w", err)
	}
	return s.forget(ctx, f)
}

// forget drops the cached records of the opaque sessions among fs.
func (s *Service) forget(ctx context.Context, fs ...sessions.Family) error {
	var keys []string
	for _, f := range fs {
		if f.Kind == sessions.KindOpaque && f.TokenHash != "" {
			keys = append(keys, opaqueKey(f.TokenHash))
		}
	}
	if len(keys) == 0 {
		return nil
	}
	if err := s.cache.Delete(ctx, keys...); err != nil {
		return cacheUnavailable(err)
	}
	return nil
}

// deny marks a family's access tokens revoked on every replica. The entry
// outlives the longest-lived access token of the family: its exp plus the
// leeway Verify allows, inclusive (hence the extra second). For an opaque
// session it only has to outlast checks in flight, since its cached record
// is dropped after the key is written.
func (s *Service) deny(ctx context.Context, familyID string) error {
	ttl := s.policy.AccessTTL + sessions.Leeway + time.Second
	if err := s.cache.Set(ctx, revokedKey(familyID), []byte{1}, ttl); err != nil {
		return cacheUnavailable(err)
	}
	return nil
}

// denied reports whether a family is revoked: in this process's own set
// (no I/O, and it survives a cache loss), else on the shared deny-list.
func (s *Service) denied(ctx context.Context, familyID string) (bool, error) {
	if s.feed.revoked.has(familyID) {
		return true, nil
	}
	_, revoked, err := s.cache.Get(ctx, revokedKey(familyID))
	if err != nil {
		// Fail closed: without the deny-list a revoked session could pass.
		return false, cacheUnavailable(err)
	}
	return revoked, nil
}

// Verify implements ports.Sessions: the signature and claims through the
// Signer, or the claims of the same token verified before (verified.go),
// then the revocation (denied) on every call, so a revoked session's tokens
// are refused at once on every replica that shares the cache, and whatever
// happens to the cache once the revocation feed has read the store.
func (s *Service) Verify(ctx context.Context, accessToken, audience string) (sessions.Claims, error) {
	aud := s.policy.AudienceOr(audience)
	now := s.clock.Now()
	c, hit := s.verified.get(accessToken, aud, now)
	if !hit {
		var err error
		if c, err = s.signer.Verify(ctx, accessToken, aud); err != nil {
			return sessions.Claims{}, err
		}
		s.verified.put(accessToken, aud, c, now)
	}
	revoked, err := s.denied(ctx, c.SessionID)
	if err != nil {
		return sessions.Claims{}, err
	}
	if revoked {
		return sessions.Claims{}, sessions.TokenRevoked()
	}
	return c, nil
}
