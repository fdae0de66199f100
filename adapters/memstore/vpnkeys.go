package memstore

import (
	"cmp"
	"context"
	"slices"
	"time"

	"gatehouse/core/vpn"
)

func cloneAccessKey(k vpn.AccessKey) vpn.AccessKey {
	k.Material.Addresses = slices.Clone(k.Material.Addresses)
	return k
}

// dropKey forgets k's slot, dynamic hash and addresses. Callers hold mu.
func (s *VPNStore) dropKey(k vpn.AccessKey) {
	if s.slots[k.Slot()] == k.ID {
		delete(s.slots, k.Slot())
	}
	if s.dynamic[k.DynamicHash] == k.ID {
		delete(s.dynamic, k.DynamicHash)
	}
	s.releaseLocked(k.ID)
}

// ClaimKey implements ports.VPNStore.
func (s *VPNStore) ClaimKey(_ context.Context, k vpn.AccessKey) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.slots[k.Slot()]; ok {
		return vpn.KeyClaimed()
	}
	if _, ok := s.keys[k.ID]; ok {
		return vpn.KeyClaimed()
	}
	k = cloneAccessKey(k)
	s.keys[k.ID] = k
	s.slots[k.Slot()] = k.ID
	if k.DynamicHash != "" {
		s.dynamic[k.DynamicHash] = k.ID
	}
	return nil
}

// LiveKey implements ports.VPNStore.
func (s *VPNStore) LiveKey(_ context.Context, userID string, deviceID, serverID int64) (vpn.AccessKey, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	id, ok := s.slots[vpn.Slot(userID, deviceID, serverID)]
	if !ok {
		return vpn.AccessKey{}, vpn.KeyNotFound()
	}
	return cloneAccessKey(s.keys[id]), nil
}

// Key implements ports.VPNStore.
func (s *VPNStore) Key(_ context.Context, id string) (vpn.AccessKey, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	k, ok := s.keys[id]
	if !ok {
		return vpn.AccessKey{}, vpn.KeyNotFound()
	}
	return cloneAccessKey(k), nil
}

// KeyByDynamicHash implements ports.VPNStore.
func (s *VPNStore) KeyByDynamicHash(_ context.Context, hash string) (vpn.AccessKey, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	id, ok := s.dynamic[hash]
	if !ok || hash == "" {
		return vpn.AccessKey{}, vpn.KeyNotFound()
	}
	return cloneAccessKey(s.keys[id]), nil
}

// IssueKey implements ports.VPNStore.
func (s *VPNStore) IssueKey(_ context.Context, id string, m vpn.Material, at time.Time) (vpn.AccessKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.keys[id]
	if !ok || !k.Live() {
		return vpn.AccessKey{}, vpn.KeyNotFound()
	}
	k.Material = m
	k.Material.Addresses = slices.Clone(m.Addresses)
	k.IssuedAt = at
	s.keys[id] = k
	return cloneAccessKey(k), nil
}

// DropClaim implements ports.VPNStore.
func (s *VPNStore) DropClaim(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.keys[id]
	if !ok || !k.IssuedAt.IsZero() {
		return nil
	}
	s.dropKey(k)
	delete(s.keys, id)
	return nil
}

// RevokeKey implements ports.VPNStore.
func (s *VPNStore) RevokeKey(_ context.Context, id string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.keys[id]
	if !ok {
		return vpn.KeyNotFound()
	}
	if !k.Live() {
		return nil
	}
	if s.slots[k.Slot()] == k.ID {
		delete(s.slots, k.Slot())
	}
	k.RevokedAt = at
	s.keys[id] = k
	return nil
}

// liveKeys lists the live keys keep selects, oldest claim first. Callers hold mu.
func (s *VPNStore) liveKeys(keep func(vpn.AccessKey) bool) []vpn.AccessKey {
	var out []vpn.AccessKey
	for _, k := range s.keys {
		if k.Live() && keep(k) {
			out = append(out, cloneAccessKey(k))
		}
	}
	slices.SortFunc(out, func(a, b vpn.AccessKey) int {
		return cmp.Or(a.ClaimedAt.Compare(b.ClaimedAt), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// UserKeys implements ports.VPNStore.
func (s *VPNStore) UserKeys(_ context.Context, userID string) ([]vpn.AccessKey, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.liveKeys(func(k vpn.AccessKey) bool { return k.UserID == userID }), nil
}

// ServerKeys implements ports.VPNStore.
func (s *VPNStore) ServerKeys(_ context.Context, serverID int64) ([]vpn.AccessKey, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.liveKeys(func(k vpn.AccessKey) bool { return k.ServerID == serverID }), nil
}

// SetKeyTraffic implements ports.VPNStore.
func (s *VPNStore) SetKeyTraffic(_ context.Context, id string, bytes int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k, ok := s.keys[id]; ok {
		k.TrafficBytes = bytes
		s.keys[id] = k
	}
	return nil
}

// SavePeerStats implements ports.VPNStore.
func (s *VPNStore) SavePeerStats(_ context.Context, serverID int64, stats []vpn.PeerStat) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats[serverID] = slices.Clone(stats)
	return nil
}

// PeerStats implements ports.WireGuardBook.
func (s *VPNStore) PeerStats(_ context.Context, serverID int64) ([]vpn.PeerStat, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.stats[serverID]), nil
}

// ClaimAddress implements ports.WireGuardBook.
func (s *VPNStore) ClaimAddress(_ context.Context, serverID int64, addr, keyID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.addrs[serverID]
	if m == nil {
		m = map[string]string{}
		s.addrs[serverID] = m
	}
	if _, ok := m[addr]; ok {
		return vpn.AddressTaken()
	}
	m[addr] = keyID
	return nil
}

// AddressesInUse implements ports.WireGuardBook.
func (s *VPNStore) AddressesInUse(_ context.Context, serverID int64) ([]string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, 0, len(s.addrs[serverID]))
	for a := range s.addrs[serverID] {
		out = append(out, a)
	}
	return out, nil
}

// ReleaseAddresses implements ports.WireGuardBook.
func (s *VPNStore) ReleaseAddresses(_ context.Context, keyID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.releaseLocked(keyID)
	return nil
}

func (s *VPNStore) releaseLocked(keyID string) {
	for _, m := range s.addrs {
		for a, id := range m {
			if id == keyID {
				delete(m, a)
			}
		}
	}
}
