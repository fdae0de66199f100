package sessionsvc

import (
	"context"
	"fmt"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// Start implements ports.Sessions.
func (s *Service) Start(ctx context.Context, userID, audience string, d ports.DeviceInfo) (ports.TokenPair, error) {
	if userID == "" {
		return ports.TokenPair{}, fault.Invalidf("user_id", "required", "A user is required.")
	}
	now := s.clock.Now()
	dev, err := s.signInDevice(ctx, userID, d, now)
	if err != nil {
		return ports.TokenPair{}, err
	}
	id, err := s.newID()
	if err != nil {
		return ports.TokenPair{}, err
	}
	f := sessions.NewFamily(s.policy, id, userID, dev.ID, audience, now)
	if err := s.store.CreateFamily(ctx, f); err != nil {
		return ports.TokenPair{}, fmt.Errorf("sessionsvc: create family: %w", err)
	}
	return s.issue(ctx, f, func(hash string) sessions.RefreshToken {
		return sessions.FirstRefresh(s.policy, f, hash, now)
	}, now)
}

// signInDevice returns the device a sign-in comes from, saved as seen now. A
// device ID the client names is adopted only when it is already this user's;
// otherwise the sign-in gets a new device.
func (s *Service) signInDevice(ctx context.Context, userID string, d ports.DeviceInfo, now time.Time) (sessions.Device, error) {
	var dev sessions.Device
	id := d.ID
	if d.ServerID != "" {
		id = d.ServerID
	}
	if id != "" {
		known, err := s.store.Device(ctx, id)
		switch {
		case err == nil && known.UsableBy(userID):
			dev = known.Seen(d.Name, d.UserAgent, d.IP, now)
		case fault.Is(err, fault.NotFound) && d.ServerID != "":
			// A device the server named signs in for the first time: it
			// keeps that name, so it can be signed out by it.
			dev = sessions.NewDevice(id, userID, d.Name, d.UserAgent, d.IP, now)
		case err != nil && !fault.Is(err, fault.NotFound):
			return sessions.Device{}, fmt.Errorf("sessionsvc: load device: %w", err)
		}
	}
	if dev.ID == "" {
		id, err := s.newID()
		if err != nil {
			return sessions.Device{}, err
		}
		dev = sessions.NewDevice(id, userID, d.Name, d.UserAgent, d.IP, now)
	}
	if err := s.store.SaveDevice(ctx, dev); err != nil {
		return sessions.Device{}, fmt.Errorf("sessionsvc: save device: %w", err)
	}
	return dev, nil
}

// issue stores the refresh token that next builds from a fresh secret and
// signs an access token for family f.
func (s *Service) issue(ctx context.Context, f sessions.Family, next func(hash string) sessions.RefreshToken, now time.Time) (ports.TokenPair, error) {
	secret, hash, err := s.newRefresh()
	if err != nil {
		return ports.TokenPair{}, err
	}
	rt := next(hash)
	if err := s.store.AddRefresh(ctx, rt); err != nil {
		return ports.TokenPair{}, fmt.Errorf("sessionsvc: add refresh token: %w", err)
	}
	return s.pair(ctx, f, secret, rt, now)
}

// pair signs an access token for family f and returns it with the refresh
// token secret, stored as rt.
func (s *Service) pair(ctx context.Context, f sessions.Family, secret string, rt sessions.RefreshToken, now time.Time) (ports.TokenPair, error) {
	jti, err := s.newID()
	if err != nil {
		return ports.TokenPair{}, err
	}
	// The Sessions port carries no roles, so access tokens issued here have
	// none; a frontend that needs them reads the user.
	c := sessions.NewAccessClaims(s.policy, f, jti, nil, now)
	access, err := s.signer.Sign(ctx, c)
	if err != nil {
		return ports.TokenPair{}, fmt.Errorf("sessionsvc: sign access token: %w", err)
	}
	return ports.TokenPair{
		AccessToken:      access,
		RefreshToken:     secret,
		TokenType:        "Bearer",
		AccessExpiresAt:  c.ExpiresAt,
		RefreshExpiresAt: rt.ExpiresAt,
		SessionID:        f.ID,
		DeviceID:         f.DeviceID,
	}, nil
}
