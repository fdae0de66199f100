package memstore

import (
	"context"
	"slices"
	"sort"
	"sync"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

var _ ports.UserStore = (*UserStore)(nil)

// UserStore is an in-memory ports.UserStore.
type UserStore struct {
	mu      sync.RWMutex
	byID    map[string]identity.User
	byLogin map[string]string // handle -> user ID
	byEmail map[string]string
	byPhone map[string]string
	byTG    map[int64]string // Telegram user id -> user ID
	order   []numbered       // sorted by Number, for ByNumber and List
	last    int64            // last Number assigned
}

// NewUserStore returns an empty UserStore.
func NewUserStore() *UserStore {
	return &UserStore{
		byID:    map[string]identity.User{},
		byLogin: map[string]string{},
		byEmail: map[string]string{},
		byPhone: map[string]string{},
		byTG:    map[int64]string{},
	}
}

// Create implements ports.UserStore.
func (s *UserStore) Create(_ context.Context, u identity.User) (identity.User, error) {
	if u.ID == "" {
		return identity.User{}, fault.Invalidf("id", "required", "user ID is required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byID[u.ID]; ok {
		return identity.User{}, identity.IDTaken()
	}
	if err := s.checkHandles(u, ""); err != nil {
		return identity.User{}, err
	}
	s.last++
	u = cloneUser(u)
	u.Number = s.last
	u.Version = 1
	s.put(u)
	s.order = append(s.order, numbered{n: u.Number, id: u.ID})
	return cloneUser(u), nil
}

// ByID implements ports.UserStore.
func (s *UserStore) ByID(_ context.Context, id string) (identity.User, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u, ok := s.byID[id]
	if !ok {
		return identity.User{}, errUserNotFound()
	}
	return cloneUser(u), nil
}

// ByNumber implements ports.UserStore.
func (s *UserStore) ByNumber(_ context.Context, n int64) (identity.User, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if i, ok := s.indexOf(n); ok {
		return cloneUser(s.byID[s.order[i].id]), nil
	}
	return identity.User{}, errUserNotFound()
}

// ByLogin implements ports.UserStore.
func (s *UserStore) ByLogin(_ context.Context, login string) (identity.User, error) {
	return s.byHandle(s.byLogin, login)
}

// ByEmail implements ports.UserStore.
func (s *UserStore) ByEmail(_ context.Context, email string) (identity.User, error) {
	return s.byHandle(s.byEmail, email)
}

// ByPhone implements ports.UserStore.
func (s *UserStore) ByPhone(_ context.Context, phone string) (identity.User, error) {
	return s.byHandle(s.byPhone, phone)
}

// ByTelegramID implements ports.UserStore.
func (s *UserStore) ByTelegramID(_ context.Context, id int64) (identity.User, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	// Zero is never indexed, so it finds nobody.
	uid, ok := s.byTG[id]
	if !ok {
		return identity.User{}, errUserNotFound()
	}
	return cloneUser(s.byID[uid]), nil
}

// Update implements ports.UserStore.
func (s *UserStore) Update(_ context.Context, u identity.User) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.byID[u.ID]
	if !ok {
		return errUserNotFound()
	}
	if u.Version != old.Version {
		return identity.ErrStaleUser()
	}
	if err := s.checkHandles(u, u.ID); err != nil {
		return err
	}
	u = cloneUser(u)
	u.Number, u.CreatedAt = old.Number, old.CreatedAt
	u.Version = old.Version + 1
	s.drop(old)
	s.put(u)
	return nil
}

// List implements ports.UserStore.
func (s *UserStore) List(_ context.Context, offset, limit int) ([]identity.User, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	offset = max(offset, 0)
	if limit <= 0 || offset >= len(s.order) {
		return []identity.User{}, nil
	}
	page := s.order[offset:min(offset+limit, len(s.order))]
	out := make([]identity.User, len(page))
	for i, e := range page {
		out[i] = cloneUser(s.byID[e.id])
	}
	return out, nil
}

// Delete implements ports.UserStore.
func (s *UserStore) Delete(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.byID[id]
	if !ok {
		return errUserNotFound()
	}
	s.drop(u)
	if i, ok := s.indexOf(u.Number); ok {
		s.order = slices.Delete(s.order, i, i+1)
	}
	return nil
}

func (s *UserStore) byHandle(index map[string]string, h string) (identity.User, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	// Empty handles are never indexed, so "" finds nobody.
	id, ok := index[h]
	if !ok {
		return identity.User{}, errUserNotFound()
	}
	return cloneUser(s.byID[id]), nil
}

// checkHandles returns the Conflict for the first handle of u held by a user
// other than self. The caller holds the write lock.
func (s *UserStore) checkHandles(u identity.User, self string) error {
	checks := []struct {
		index  map[string]string
		handle string
		taken  func() error
	}{
		{s.byLogin, u.Login, identity.LoginTaken},
		{s.byEmail, u.Email, identity.EmailTaken},
		{s.byPhone, u.Phone, identity.PhoneTaken},
	}
	for _, c := range checks {
		if c.handle == "" {
			continue
		}
		if owner, ok := c.index[c.handle]; ok && owner != self {
			return c.taken()
		}
	}
	if owner, ok := s.byTG[u.TelegramID]; ok && u.TelegramID != 0 && owner != self {
		return identity.TelegramTaken()
	}
	return nil
}

// put stores u and indexes its handles; u must already be a private copy.
func (s *UserStore) put(u identity.User) {
	s.byID[u.ID] = u
	setHandle(s.byLogin, u.Login, u.ID)
	setHandle(s.byEmail, u.Email, u.ID)
	setHandle(s.byPhone, u.Phone, u.ID)
	if u.TelegramID != 0 {
		s.byTG[u.TelegramID] = u.ID
	}
}

// drop removes u and frees its handles.
func (s *UserStore) drop(u identity.User) {
	delete(s.byID, u.ID)
	delete(s.byLogin, u.Login)
	delete(s.byEmail, u.Email)
	delete(s.byPhone, u.Phone)
	delete(s.byTG, u.TelegramID)
}

// indexOf finds Number n in order, which is sorted because Numbers only grow.
func (s *UserStore) indexOf(n int64) (int, bool) {
	i := sort.Search(len(s.order), func(i int) bool { return s.order[i].n >= n })
	return i, i < len(s.order) && s.order[i].n == n
}

// numbered ties a Number to its user ID.
type numbered struct {
	n  int64
	id string
}

func setHandle(index map[string]string, h, id string) {
	if h != "" {
		index[h] = id
	}
}

func errUserNotFound() error {
	return identity.UserNotFound()
}

// cloneUser copies u deeply, so stored and returned users share no slices.
func cloneUser(u identity.User) identity.User {
	u.Addresses = slices.Clone(u.Addresses)
	u.Roles = slices.Clone(u.Roles)
	u.Groups = slices.Clone(u.Groups)
	return u
}
