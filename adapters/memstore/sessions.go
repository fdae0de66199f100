package memstore

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"gatehouse/core/sessions"
	"gatehouse/ports"
)

var _ ports.SessionStore = (*SessionStore)(nil)

// SessionStore is an in-memory ports.SessionStore.
type SessionStore struct {
	mu       sync.RWMutex
	families map[string]sessions.Family
	tokens   map[string]refresh // by hash
	devices  map[string]sessions.Device
	// Per-user indexes keep Families, Devices and DeleteUser off full scans.
	userFamilies map[string]set
	userTokens   map[string]set
	userDevices  map[string]set
	// revoked holds the IDs of revoked families, so RevokedSince scans
	// only those.
	revoked set
}

// refresh is a stored refresh token and whether it was consumed.
type refresh struct {
	token sessions.RefreshToken
	used  bool
}

type set map[string]struct{}

// NewSessionStore returns an empty SessionStore.
func NewSessionStore() *SessionStore {
	return &SessionStore{
		families:     map[string]sessions.Family{},
		tokens:       map[string]refresh{},
		devices:      map[string]sessions.Device{},
		userFamilies: map[string]set{},
		userTokens:   map[string]set{},
		userDevices:  map[string]set{},
		revoked:      set{},
	}
}

// CreateFamily implements ports.SessionStore.
func (s *SessionStore) CreateFamily(_ context.Context, f sessions.Family) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.families[f.ID]; ok {
		return sessions.FamilyExists()
	}
	s.families[f.ID] = f
	index(s.userFamilies, f.UserID, f.ID)
	if f.Revoked() {
		s.revoked[f.ID] = struct{}{}
	}
	return nil
}

// Family implements ports.SessionStore.
func (s *SessionStore) Family(_ context.Context, id string) (sessions.Family, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, ok := s.families[id]
	if !ok {
		return sessions.Family{}, errFamilyNotFound()
	}
	return f, nil
}

// RevokeFamily implements ports.SessionStore.
func (s *SessionStore) RevokeFamily(_ context.Context, id string, at time.Time, reason string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.families[id]
	if !ok {
		return errFamilyNotFound()
	}
	if !f.Revoked() {
		f.RevokedAt, f.Reason = at, reason
		s.families[id] = f
		s.revoked[id] = struct{}{}
	}
	return nil
}

// RevokeUserFamilies implements ports.SessionStore. The IDs come newest first.
func (s *SessionStore) RevokeUserFamilies(_ context.Context, userID string, at time.Time, reason string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	revoked := []string{}
	for _, f := range s.userFamiliesLocked(userID) {
		if f.Revoked() {
			continue
		}
		f.RevokedAt, f.Reason = at, reason
		s.families[f.ID] = f
		s.revoked[f.ID] = struct{}{}
		revoked = append(revoked, f.ID)
	}
	return revoked, nil
}

// Families implements ports.SessionStore.
func (s *SessionStore) Families(_ context.Context, userID string) ([]sessions.Family, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.userFamiliesLocked(userID), nil
}

// TouchFamily implements ports.SessionStore.
func (s *SessionStore) TouchFamily(_ context.Context, id string, at time.Time) (sessions.Family, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.families[id]
	if !ok {
		return sessions.Family{}, errFamilyNotFound()
	}
	if at.After(f.LastUsedAt) {
		f.LastUsedAt = at
		s.families[id] = f
	}
	return f, nil
}

// userFamiliesLocked returns a user's families newest first (ties by ID, so
// the order is stable). The caller holds the lock.
func (s *SessionStore) userFamiliesLocked(userID string) []sessions.Family {
	out := make([]sessions.Family, 0, len(s.userFamilies[userID]))
	for id := range s.userFamilies[userID] {
		out = append(out, s.families[id])
	}
	slices.SortFunc(out, func(a, b sessions.Family) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

// AddRefresh implements ports.SessionStore.
func (s *SessionStore) AddRefresh(_ context.Context, t sessions.RefreshToken) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.tokens[t.Hash]; ok {
		return sessions.RefreshExists()
	}
	s.tokens[t.Hash] = refresh{token: t}
	index(s.userTokens, t.UserID, t.Hash)
	return nil
}

// Refresh implements ports.SessionStore.
func (s *SessionStore) Refresh(_ context.Context, hash string) (sessions.RefreshToken, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.tokens[hash]
	if !ok {
		return sessions.RefreshToken{}, errRefreshNotFound()
	}
	return r.token, nil
}

// ConsumeRefresh implements ports.SessionStore.
func (s *SessionStore) ConsumeRefresh(_ context.Context, hash string, _ time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.tokens[hash]
	if !ok {
		return errRefreshNotFound()
	}
	if r.used {
		return sessions.RefreshReused()
	}
	r.used = true
	s.tokens[hash] = r
	return nil
}

// SaveDevice implements ports.SessionStore.
func (s *SessionStore) SaveDevice(_ context.Context, d sessions.Device) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.devices[d.ID]; ok {
		unindex(s.userDevices, old.UserID, old.ID)
	}
	s.devices[d.ID] = d
	index(s.userDevices, d.UserID, d.ID)
	return nil
}

// Device implements ports.SessionStore.
func (s *SessionStore) Device(_ context.Context, id string) (sessions.Device, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	d, ok := s.devices[id]
	if !ok {
		return sessions.Device{}, sessions.DeviceNotFound()
	}
	return d, nil
}

// Devices implements ports.SessionStore: most recently seen first, ties by ID.
func (s *SessionStore) Devices(_ context.Context, userID string) ([]sessions.Device, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]sessions.Device, 0, len(s.userDevices[userID]))
	for id := range s.userDevices[userID] {
		out = append(out, s.devices[id])
	}
	slices.SortFunc(out, func(a, b sessions.Device) int {
		if c := b.LastSeen.Compare(a.LastSeen); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

// DeleteUser implements ports.SessionStore.
func (s *SessionStore) DeleteUser(_ context.Context, userID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id := range s.userFamilies[userID] {
		delete(s.families, id)
		delete(s.revoked, id)
	}
	for hash := range s.userTokens[userID] {
		delete(s.tokens, hash)
	}
	for id := range s.userDevices[userID] {
		delete(s.devices, id)
	}
	delete(s.userFamilies, userID)
	delete(s.userTokens, userID)
	delete(s.userDevices, userID)
	return nil
}

func index(m map[string]set, owner, id string) {
	if m[owner] == nil {
		m[owner] = set{}
	}
	m[owner][id] = struct{}{}
}

func unindex(m map[string]set, owner, id string) {
	delete(m[owner], id)
	if len(m[owner]) == 0 {
		delete(m, owner)
	}
}

func errFamilyNotFound() error {
	return sessions.FamilyNotFound()
}

func errRefreshNotFound() error {
	return sessions.RefreshNotFound()
}
