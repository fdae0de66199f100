package memstore

import (
	"context"
	"time"

	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// RotateRefresh implements ports.SessionStore under one lock: consume,
// store the successor, touch the device, or change nothing.
func (s *SessionStore) RotateRefresh(_ context.Context, hash string, _ time.Time, next sessions.RefreshToken, seen ports.DeviceSeen) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.tokens[hash]
	switch {
	case !ok:
		return errRefreshNotFound()
	case r.used:
		return sessions.RefreshReused()
	}
	if _, taken := s.tokens[next.Hash]; taken {
		return sessions.RefreshExists()
	}
	r.used = true
	s.tokens[hash] = r
	s.tokens[next.Hash] = refresh{token: next}
	index(s.userTokens, next.UserID, next.Hash)
	if d, ok := s.devices[seen.ID]; ok {
		s.devices[seen.ID] = d.Seen(seen.Name, seen.UserAgent, seen.IP, seen.At)
	}
	return nil
}
