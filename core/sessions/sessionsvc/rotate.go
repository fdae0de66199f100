package sessionsvc

import (
	"context"
	"fmt"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// Rotate implements ports.Sessions. The store's ConsumeRefresh decides which
// of concurrent exchanges of one token wins; every loser is a reuse, which
// revokes the whole family, the winner's fresh pair included (RFC 9700 §4.14).
func (s *Service) Rotate(ctx context.Context, refreshToken string, d ports.DeviceInfo) (ports.TokenPair, error) {
	now := s.clock.Now()
	t, f, err := s.lookup(ctx, refreshToken)
	if err != nil {
		return ports.TokenPair{}, err
	}
	if err := sessions.CheckRefresh(f, t, now); err != nil {
		return ports.TokenPair{}, err
	}
	if err := s.store.ConsumeRefresh(ctx, t.Hash, now); err != nil {
		if fault.Is(err, fault.Conflict) {
			return ports.TokenPair{}, s.reused(ctx, f, t, now)
		}
		if fault.Is(err, fault.NotFound) {
			return ports.TokenPair{}, sessions.RefreshInvalid(sessions.ErrRefreshUnknown)
		}
		return ports.TokenPair{}, fmt.Errorf("sessionsvc: consume refresh token: %w", err)
	}
	pair, err := s.issue(ctx, f, func(hash string) sessions.RefreshToken {
		return sessions.NextRefresh(s.policy, f, t, hash, now)
	}, now)
	if err != nil {
		return ports.TokenPair{}, err
	}
	s.touchDevice(ctx, f, d, now)
	return pair, nil
}

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

// touchDevice records that the family's device was seen. The exchange has
// already succeeded, so a failure here is logged, not returned: failing would
// leave the client with a consumed token and no new one.
func (s *Service) touchDevice(ctx context.Context, f sessions.Family, d ports.DeviceInfo, now time.Time) {
	if f.DeviceID == "" {
		return
	}
	dev, err := s.store.Device(ctx, f.DeviceID)
	if err == nil {
		err = s.store.SaveDevice(ctx, dev.Seen(d.Name, d.UserAgent, d.IP, now))
	}
	if err != nil && !fault.Is(err, fault.NotFound) {
		s.log.WarnContext(ctx, "device last-seen update failed", "device", f.DeviceID, "err", err)
	}
}
