package memstore

import (
	"cmp"
	"context"
	"slices"
	"sync"

	"gatehouse/core/links"
	"gatehouse/ports"
)

var _ ports.LinkStore = (*LinkStore)(nil)

// LinkStore is an in-memory ports.LinkStore. One lock guards it: every
// write is a few map operations, so a lock is simpler than sharding and
// never the bottleneck (the redirect path reads through caches).
type LinkStore struct {
	mu      sync.RWMutex
	byID    map[string]links.Link
	byAlias map[string]string              // alias -> link ID
	byOwner map[string]map[string]struct{} // owner ID -> link IDs
}

// NewLinkStore returns an empty LinkStore.
func NewLinkStore() *LinkStore {
	return &LinkStore{
		byID:    map[string]links.Link{},
		byAlias: map[string]string{},
		byOwner: map[string]map[string]struct{}{},
	}
}

// CreateLink implements ports.LinkStore.
func (s *LinkStore) CreateLink(_ context.Context, l links.Link) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byID[l.ID]; ok {
		return links.IDTaken()
	}
	if _, ok := s.byAlias[l.Alias]; ok {
		return links.AliasTaken()
	}
	s.byID[l.ID] = l
	s.byAlias[l.Alias] = l.ID
	owned := s.byOwner[l.OwnerID]
	if owned == nil {
		owned = map[string]struct{}{}
		s.byOwner[l.OwnerID] = owned
	}
	owned[l.ID] = struct{}{}
	return nil
}

// LinkByID implements ports.LinkStore.
func (s *LinkStore) LinkByID(_ context.Context, id string) (links.Link, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	l, ok := s.byID[id]
	if !ok {
		return links.Link{}, links.NotFound()
	}
	return l, nil
}

// LinkByAlias implements ports.LinkStore.
func (s *LinkStore) LinkByAlias(_ context.Context, alias string) (links.Link, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	id, ok := s.byAlias[alias]
	if !ok {
		return links.Link{}, links.NotFound()
	}
	return s.byID[id], nil
}

// UpdateLink implements ports.LinkStore.
func (s *LinkStore) UpdateLink(_ context.Context, l links.Link) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.byID[l.ID]
	if !ok {
		return links.NotFound()
	}
	if l.Alias != cur.Alias {
		if _, taken := s.byAlias[l.Alias]; taken {
			return links.AliasTaken()
		}
		delete(s.byAlias, cur.Alias)
		s.byAlias[l.Alias] = l.ID
	}
	cur.Alias, cur.Target, cur.ExpiresAt, cur.MaxRedirects, cur.UpdatedAt = l.Alias, l.Target, l.ExpiresAt, l.MaxRedirects, l.UpdatedAt
	s.byID[l.ID] = cur
	return nil
}

// DeleteLink implements ports.LinkStore.
func (s *LinkStore) DeleteLink(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byID[id]; !ok {
		return links.NotFound()
	}
	s.remove(id)
	return nil
}

// LinksByOwner implements ports.LinkStore.
func (s *LinkStore) LinksByOwner(_ context.Context, ownerID string) ([]links.Link, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]links.Link, 0, len(s.byOwner[ownerID]))
	for id := range s.byOwner[ownerID] {
		out = append(out, s.byID[id])
	}
	slices.SortFunc(out, func(a, b links.Link) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID) // a stable order for links made at one instant
	})
	return out, nil
}

// DeleteLinksByOwner implements ports.LinkStore.
func (s *LinkStore) DeleteLinksByOwner(_ context.Context, ownerID string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	owned := s.byOwner[ownerID]
	n := len(owned) // remove empties owned as it goes
	for id := range owned {
		s.remove(id)
	}
	return n, nil
}

// AddRedirects implements ports.LinkStore, all counts under one lock.
func (s *LinkStore) AddRedirects(_ context.Context, counts map[string]int64) (map[string]int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, n := range counts {
		if l, ok := s.byID[id]; ok {
			l.Redirects += n
			s.byID[id] = l
		}
	}
	return nil, nil
}

// remove deletes a stored link from every index. The caller holds the
// write lock.
func (s *LinkStore) remove(id string) {
	l := s.byID[id]
	delete(s.byID, id)
	delete(s.byAlias, l.Alias)
	if owned := s.byOwner[l.OwnerID]; owned != nil {
		delete(owned, id)
		if len(owned) == 0 {
			delete(s.byOwner, l.OwnerID)
		}
	}
}

// TakeRedirect implements ports.LinkStore.
func (s *LinkStore) TakeRedirect(_ context.Context, id string) (links.Link, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.byID[id]
	if !ok {
		return links.Link{}, false, links.NotFound()
	}
	if l.MaxRedirects > 0 && l.Redirects >= l.MaxRedirects {
		return l, false, nil
	}
	l.Redirects++
	s.byID[id] = l
	return l, true, nil
}
