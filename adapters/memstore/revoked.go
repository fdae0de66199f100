package memstore

import (
	"cmp"
	"context"
	"slices"
	"time"

	"gatehouse/core/sessions"
)

// RevokedSince implements ports.SessionStore.
func (s *SessionStore) RevokedSince(_ context.Context, since time.Time, limit int) ([]sessions.Family, error) {
	if limit < 1 {
		return nil, errLimitInvalid()
	}
	s.mu.RLock()
	out := []sessions.Family{}
	for id := range s.revoked {
		if f := s.families[id]; !f.RevokedAt.Before(since) {
			out = append(out, f)
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b sessions.Family) int {
		if c := a.RevokedAt.Compare(b.RevokedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out[:min(len(out), limit)], nil
}

func errLimitInvalid() error {
	return sessions.LimitInvalid()
}
