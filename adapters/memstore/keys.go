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

var _ ports.KeyStore = (*KeyStore)(nil)

// KeyStore is an in-memory ports.KeyStore.
type KeyStore struct {
	mu    sync.RWMutex
	keys  map[string]sessions.SigningKey
	byGen map[int64]string // Generation -> key ID
}

// NewKeyStore returns an empty KeyStore.
func NewKeyStore() *KeyStore {
	return &KeyStore{keys: map[string]sessions.SigningKey{}, byGen: map[int64]string{}}
}

// AddKey implements ports.KeyStore.
func (s *KeyStore) AddKey(_ context.Context, k sessions.SigningKey) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, idTaken := s.keys[k.ID]
	_, genTaken := s.byGen[k.Generation]
	if idTaken || genTaken {
		return sessions.KeyExists()
	}
	s.keys[k.ID] = cloneKey(k)
	s.byGen[k.Generation] = k.ID
	return nil
}

// Keys implements ports.KeyStore.
func (s *KeyStore) Keys(_ context.Context) ([]sessions.SigningKey, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]sessions.SigningKey, 0, len(s.keys))
	for _, k := range s.keys {
		out = append(out, cloneKey(k))
	}
	slices.SortFunc(out, func(a, b sessions.SigningKey) int {
		return cmp.Compare(b.Generation, a.Generation)
	})
	return out, nil
}

// RetireKey implements ports.KeyStore.
func (s *KeyStore) RetireKey(_ context.Context, id string, retiredAt, notAfter time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.keys[id]
	if !ok {
		return sessions.KeyNotFound()
	}
	k.RetiredAt, k.NotAfter = retiredAt, notAfter
	s.keys[id] = k
	return nil
}

// cloneKey copies k so the PEM bytes are not shared with the caller.
func cloneKey(k sessions.SigningKey) sessions.SigningKey {
	k.PrivatePEM = slices.Clone(k.PrivatePEM)
	k.PublicPEM = slices.Clone(k.PublicPEM)
	return k
}
