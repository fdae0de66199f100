package sessionsvc

import (
	"context"
	"fmt"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// Rotate implements ports.Sessions in three storage round trips: two reads
// (the token, its family) and one RotateRefresh, whose consume decides which
// of concurrent exchanges of one token wins; every loser is a reuse, which
// revokes the whole family, the winner's fresh pair included (RFC 9700
// §4.14).
func (s *Service) Rotate(ctx context.Context, refreshToken string, d ports.DeviceInfo) (ports.TokenPair, error) {
	now := s.clock.Now()
	t, f, err := s.lookup(ctx, refreshToken)
	if err != nil {
		return ports.TokenPair{}, err
	}
	if err := sessions.CheckRefresh(f, t, now); err != nil {
		return ports.TokenPair{}, err
	}
	secret, hash, err := s.newRefresh()
	if err != nil {
		return ports.TokenPair{}, err
	}
	next := sessions.NextRefresh(s.policy, f, t, hash, now)
	seen := ports.DeviceSeen{ID: f.DeviceID, Name: d.Name, UserAgent: d.UserAgent, IP: d.IP, At: now}
	if err := s.store.RotateRefresh(ctx, t.Hash, now, next, seen); err != nil {
		switch {
		case fault.ReasonOf(err) == reasonRefreshReused:
			return ports.TokenPair{}, s.reused(ctx, f, t, now)
		case fault.Is(err, fault.NotFound):
			return ports.TokenPair{}, sessions.RefreshInvalid(sessions.ErrRefreshUnknown)
		}
		return ports.TokenPair{}, fmt.Errorf("sessionsvc: rotate refresh token: %w", err)
	}
	return s.pair(ctx, f, secret, next, now)
}

// reasonRefreshReused is the store's reason for a token consumed before.
const reasonRefreshReused = sessions.ReasonRefreshReused

// lookup finds a presented refresh token and its family; an unknown token
// is fault.Unauthenticated sessions.refresh_invalid.
func (s *Service) lookup(ctx context.Context, refreshToken string) (sessions.RefreshToken, sessions.Family, error) {
	if refreshToken == "" {
		return sessions.RefreshToken{}, sessions.Family{}, sessions.RefreshInvalid(sessions.ErrRefreshUnknown)
	}
	t, err := s.store.Refresh(ctx, sessions.HashRefresh(refreshToken))
	if err != nil {
		if fault.Is(err, fault.NotFound) {
			return sessions.RefreshToken{}, sessions.Family{}, sessions.RefreshInvalid(sessions.ErrRefreshUnknown)
		}
		return sessions.RefreshToken{}, sessions.Family{}, fmt.Errorf("sessionsvc: load refresh token: %w", err)
	}
	f, err := s.store.Family(ctx, t.FamilyID)
	if err != nil {
		if fault.Is(err, fault.NotFound) {
			return sessions.RefreshToken{}, sessions.Family{}, sessions.RefreshInvalid(sessions.ErrRefreshUnknown)
		}
		return sessions.RefreshToken{}, sessions.Family{}, fmt.Errorf("sessionsvc: load family: %w", err)
	}
	return t, f, nil
}

// reused handles a refresh token presented after it was exchanged: whoever
// holds it may be a thief, so the family ends for everyone.
func (s *Service) reused(ctx context.Context, f sessions.Family, t sessions.RefreshToken, now time.Time) error {
	s.log.WarnContext(ctx, "refresh token reuse detected; revoking family",
		"family", f.ID, "user", f.UserID, "seq", t.Seq)
	if err := s.revoke(ctx, f.ID, now, "reuse"); err != nil {
		return err
	}
	return sessions.RefreshInvalid(sessions.ErrRefreshReused)
}
