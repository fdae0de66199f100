package memstore

import (
	"context"
	"sync"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

var _ ports.ChallengeStore = (*ChallengeStore)(nil)

// ChallengeStore is an in-memory ports.ChallengeStore. A consumed challenge
// stays as a marker until it expires, so a late second consumer is told
// "used" rather than "not found"; expired entries are pruned whenever a
// challenge is added (amortized, as the Cache sweeps), using the new
// challenge's CreatedAt as the time, so the store needs no clock and holds
// about twice its live challenges at most.
type ChallengeStore struct {
	mu     sync.Mutex
	items  map[string]storedChallenge
	writes int // adds since the last prune
	kept   int // entries the last prune left
}

type storedChallenge struct {
	c        identity.Challenge
	consumed bool
}

// NewChallengeStore returns an empty ChallengeStore.
func NewChallengeStore() *ChallengeStore {
	return &ChallengeStore{items: map[string]storedChallenge{}}
}

// AddChallenge implements ports.ChallengeStore.
func (s *ChallengeStore) AddChallenge(_ context.Context, c identity.Challenge) error {
	if c.ID == "" {
		return fault.Invalidf("id", "required", "challenge ID is required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.writes++; s.writes >= max(sweepMinWrites, s.kept) {
		s.prune(c.CreatedAt)
	}
	if _, ok := s.items[c.ID]; ok {
		return identity.ChallengeExists()
	}
	s.items[c.ID] = storedChallenge{c: c}
	return nil
}

// Challenge implements ports.ChallengeStore.
func (s *ChallengeStore) Challenge(_ context.Context, id string) (identity.Challenge, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.items[id]
	if !ok || e.consumed {
		return identity.Challenge{}, errChallengeNotFound()
	}
	return e.c, nil
}

// ConsumeChallenge implements ports.ChallengeStore.
func (s *ChallengeStore) ConsumeChallenge(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.items[id]
	switch {
	case !ok:
		return errChallengeNotFound()
	case e.consumed:
		return identity.ChallengeUsed()
	}
	e.consumed = true
	s.items[id] = e
	return nil
}

// DeleteChallenges implements ports.ChallengeStore. Markers of consumed
// challenges stay, so they keep answering "used".
func (s *ChallengeStore) DeleteChallenges(_ context.Context, userID string, purpose identity.Purpose) (int, error) {
	if userID == "" {
		return 0, nil // challenges that name only a target belong to no user
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, e := range s.items {
		if !e.consumed && e.c.UserID == userID && e.c.Purpose == purpose {
			delete(s.items, id)
			n++
		}
	}
	return n, nil
}

// prune drops challenges expired at now, consumed or not. A zero now (a
// challenge without CreatedAt) prunes nothing. The caller holds the lock.
func (s *ChallengeStore) prune(now time.Time) {
	if now.IsZero() {
		return
	}
	defer func() { s.writes, s.kept = 0, len(s.items) }()
	for id, e := range s.items {
		if !e.c.ExpiresAt.IsZero() && !now.Before(e.c.ExpiresAt) {
			delete(s.items, id)
		}
	}
}

func errChallengeNotFound() error {
	return identity.ChallengeNotFound()
}

// DeleteTargetChallenges implements ports.ChallengeStore. Markers of
// consumed challenges stay, so they keep answering "used".
func (s *ChallengeStore) DeleteTargetChallenges(_ context.Context, target string, purpose identity.Purpose) (int, error) {
	if target == "" {
		return 0, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, e := range s.items {
		if !e.consumed && e.c.Target == target && e.c.Purpose == purpose {
			delete(s.items, id)
			n++
		}
	}
	return n, nil
}
