package memstore

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"gatehouse/core/vpn"
	"gatehouse/ports"
)

var _ ports.VPNStore = (*VPNStore)(nil)

// VPNStore is an in-memory ports.VPNStore. One lock guards it: its writes
// are a few map operations, and the limits it enforces (devices per user,
// one key per slot, one key per address) are then plain checks.
type VPNStore struct {
	mu         sync.RWMutex
	servers    map[int64]vpn.Server
	lastServer int64
	subs       map[string]vpn.Subscription
	devices    map[int64]vpn.Device
	lastDevice int64
	keys       map[string]vpn.AccessKey
	slots      map[string]string               // live slot -> key ID
	dynamic    map[string]string               // dynamic hash -> key ID
	addrs      map[int64]map[string]string     // server -> address -> key ID
	stats      map[int64][]vpn.PeerStat        // server -> last report
	links      map[string]vpn.SubscriptionLink // user -> link
}

// NewVPNStore returns an empty VPNStore.
func NewVPNStore() *VPNStore {
	return &VPNStore{
		servers: map[int64]vpn.Server{},
		subs:    map[string]vpn.Subscription{},
		devices: map[int64]vpn.Device{},
		keys:    map[string]vpn.AccessKey{},
		slots:   map[string]string{},
		dynamic: map[string]string{},
		addrs:   map[int64]map[string]string{},
		stats:   map[int64][]vpn.PeerStat{},
		links:   map[string]vpn.SubscriptionLink{},
	}
}

// cloneServer copies the slices of s so callers never share them.
func cloneServer(s vpn.Server) vpn.Server {
	s.WireGuard.DNS = slices.Clone(s.WireGuard.DNS)
	s.WireGuard.AllowedIPs = slices.Clone(s.WireGuard.AllowedIPs)
	s.ActiveConnections = 0
	return s
}

// AddServer implements ports.VPNStore.
func (s *VPNStore) AddServer(_ context.Context, srv vpn.Server) (vpn.Server, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastServer++
	srv = cloneServer(srv)
	srv.ID = s.lastServer
	s.servers[srv.ID] = srv
	return cloneServer(srv), nil
}

// Server implements ports.VPNStore.
func (s *VPNStore) Server(_ context.Context, id int64) (vpn.Server, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	srv, ok := s.servers[id]
	if !ok {
		return vpn.Server{}, vpn.ServerNotFound()
	}
	return cloneServer(srv), nil
}

// Servers implements ports.VPNStore.
func (s *VPNStore) Servers(context.Context) ([]vpn.Server, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]vpn.Server, 0, len(s.servers))
	for _, srv := range s.servers {
		out = append(out, cloneServer(srv))
	}
	slices.SortFunc(out, func(a, b vpn.Server) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// SetServerEnabled implements ports.VPNStore.
func (s *VPNStore) SetServerEnabled(_ context.Context, id int64, enabled bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	srv, ok := s.servers[id]
	if !ok {
		return vpn.ServerNotFound()
	}
	srv.Enabled = enabled
	s.servers[id] = srv
	return nil
}

// SaveSubscription implements ports.VPNStore.
func (s *VPNStore) SaveSubscription(_ context.Context, sub vpn.Subscription) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.subs[sub.UserID] = sub
	return nil
}

// Subscription implements ports.VPNStore.
func (s *VPNStore) Subscription(_ context.Context, userID string) (vpn.Subscription, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sub, ok := s.subs[userID]
	if !ok {
		return vpn.Subscription{}, vpn.SubscriptionNotFound()
	}
	return sub, nil
}

// UnsettledSubscriptions implements ports.VPNStore.
func (s *VPNStore) UnsettledSubscriptions(_ context.Context, now time.Time, limit int) ([]vpn.Subscription, error) {
	if limit < 1 {
		return nil, vpn.LimitInvalid()
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []vpn.Subscription
	for _, sub := range s.subs {
		if sub.Ended(now) && sub.SettledAt.IsZero() {
			out = append(out, sub)
		}
	}
	slices.SortFunc(out, func(a, b vpn.Subscription) int {
		return cmp.Or(a.ExpiresAt.Compare(b.ExpiresAt), cmp.Compare(a.UserID, b.UserID))
	})
	return out[:min(limit, len(out))], nil
}

// SettleSubscription implements ports.VPNStore.
func (s *VPNStore) SettleSubscription(_ context.Context, userID string, updatedAt, at time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sub, ok := s.subs[userID]
	if !ok {
		return false, vpn.SubscriptionNotFound()
	}
	if !sub.UpdatedAt.Equal(updatedAt) {
		return false, nil
	}
	sub.SettledAt = at
	s.subs[userID] = sub
	return true, nil
}

// AddDevice implements ports.VPNStore.
func (s *VPNStore) AddDevice(_ context.Context, d vpn.Device, limit int) (vpn.Device, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, x := range s.devices {
		if x.UserID != d.UserID {
			continue
		}
		if x.ClientID == d.ClientID {
			x.Name, x.LastSeen = d.Name, d.LastSeen
			s.devices[id] = x
			return x, nil
		}
		n++
	}
	if err := vpn.AdmitDevice(n, limit); err != nil {
		return vpn.Device{}, err
	}
	s.lastDevice++
	d.ID = s.lastDevice
	s.devices[d.ID] = d
	return d, nil
}

// Device implements ports.VPNStore.
func (s *VPNStore) Device(_ context.Context, userID string, id int64) (vpn.Device, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	d, ok := s.devices[id]
	if !ok || d.UserID != userID {
		return vpn.Device{}, vpn.DeviceNotFound()
	}
	return d, nil
}

// DeviceByClientID implements ports.VPNStore.
func (s *VPNStore) DeviceByClientID(_ context.Context, userID, clientID string) (vpn.Device, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, d := range s.devices {
		if d.UserID == userID && d.ClientID == clientID {
			return d, nil
		}
	}
	return vpn.Device{}, vpn.DeviceNotFound()
}

// Devices implements ports.VPNStore.
func (s *VPNStore) Devices(_ context.Context, userID string) ([]vpn.Device, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []vpn.Device
	for _, d := range s.devices {
		if d.UserID == userID {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b vpn.Device) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// RemoveDevice implements ports.VPNStore.
func (s *VPNStore) RemoveDevice(_ context.Context, userID string, id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.devices[id]
	if !ok || d.UserID != userID {
		return vpn.DeviceNotFound()
	}
	delete(s.devices, id)
	return nil
}

// SaveLink implements ports.VPNStore.
func (s *VPNStore) SaveLink(_ context.Context, l vpn.SubscriptionLink) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for u, x := range s.links {
		if x.TokenHash == l.TokenHash && u != l.UserID {
			return vpn.LinkTaken()
		}
	}
	s.links[l.UserID] = l
	return nil
}

// LinkByHash implements ports.VPNStore.
func (s *VPNStore) LinkByHash(_ context.Context, hash string) (vpn.SubscriptionLink, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, l := range s.links {
		if l.TokenHash == hash {
			return l, nil
		}
	}
	return vpn.SubscriptionLink{}, vpn.LinkNotFound()
}

// DeleteLink implements ports.VPNStore.
func (s *VPNStore) DeleteLink(_ context.Context, userID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.links, userID)
	return nil
}

// DeleteVPNUser implements ports.VPNStore.
func (s *VPNStore) DeleteVPNUser(_ context.Context, userID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.subs, userID)
	delete(s.links, userID)
	for id, d := range s.devices {
		if d.UserID == userID {
			delete(s.devices, id)
		}
	}
	for id, k := range s.keys {
		if k.UserID == userID {
			s.dropKey(k)
			delete(s.keys, id)
		}
	}
	return nil
}
