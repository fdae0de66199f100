package vpnsvc

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"gatehouse/core/fault"
	"gatehouse/core/vpn"
)

// Servers implements ports.VPN.
func (s *Service) Servers(ctx context.Context, userID, deviceRef string) ([]vpn.Server, error) {
	if ref := strings.TrimSpace(deviceRef); ref != "" && ref != "0" {
		if _, err := s.device(ctx, userID, ref); err != nil {
			return nil, err
		}
	}
	all, err := s.withCounts(ctx)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, srv := range all {
		if srv.Enabled {
			out = append(out, srv.Public())
		}
	}
	return out, nil
}

// ListServers implements ports.VPN.
func (s *Service) ListServers(ctx context.Context) ([]vpn.Server, error) {
	return s.withCounts(ctx)
}

// AddServer implements ports.VPN.
func (s *Service) AddServer(ctx context.Context, srv vpn.Server) (vpn.Server, error) {
	srv = srv.WithDefaults()
	if err := srv.Validate(); err != nil {
		return vpn.Server{}, err
	}
	srv.ID, srv.ActiveConnections = 0, 0
	return s.store.AddServer(ctx, srv)
}

// EnableServer implements ports.VPN.
func (s *Service) EnableServer(ctx context.Context, id int64) error {
	return s.store.SetServerEnabled(ctx, id, true)
}

// DisableServer implements ports.VPN.
func (s *Service) DisableServer(ctx context.Context, id int64) error {
	return s.store.SetServerEnabled(ctx, id, false)
}

// Peers implements ports.VPN.
func (s *Service) Peers(ctx context.Context, serverID int64) ([]vpn.Peer, error) {
	if _, err := s.wireGuardServer(ctx, serverID); err != nil {
		return nil, err
	}
	keys, err := s.store.ServerKeys(ctx, serverID)
	if err != nil {
		return nil, err
	}
	peers := make([]vpn.Peer, 0, len(keys))
	for _, k := range keys {
		if k.Issued() {
			peers = append(peers, vpn.PeerOf(k))
		}
	}
	return peers, nil
}

// ReportPeers implements ports.VPN.
func (s *Service) ReportPeers(ctx context.Context, serverID int64, stats []vpn.PeerStat) error {
	if _, err := s.wireGuardServer(ctx, serverID); err != nil {
		return err
	}
	return s.store.SavePeerStats(ctx, serverID, stats)
}

func (s *Service) wireGuardServer(ctx context.Context, id int64) (vpn.Server, error) {
	srv, err := s.store.Server(ctx, id)
	if err != nil {
		return vpn.Server{}, err
	}
	if srv.Protocol != vpn.WireGuard {
		return vpn.Server{}, fault.Invalidf("server_id", "wireguard", "server %d is not a WireGuard server", id)
	}
	return srv, nil
}

// withCounts lists every server with the active connections the refresh
// job last cached. A cache that does not answer leaves the counts at 0:
// the list matters more than the figures.
func (s *Service) withCounts(ctx context.Context) ([]vpn.Server, error) {
	all, err := s.store.Servers(ctx)
	if err != nil {
		return nil, err
	}
	counts := s.cachedCounts(ctx)
	for i := range all {
		all[i].ActiveConnections = counts[strconv.FormatInt(all[i].ID, 10)]
	}
	return all, nil
}

// cachedCounts reads the active connections by server ID from the cache.
func (s *Service) cachedCounts(ctx context.Context) map[string]int {
	raw, ok, err := s.cache.Get(ctx, activeKey)
	if err != nil {
		s.log.Warn("vpn: read active connections", "err", err)
	}
	counts := map[string]int{}
	if ok {
		if err := json.Unmarshal(raw, &counts); err != nil {
			s.log.Warn("vpn: cached active connections unreadable", "err", err)
		}
	}
	return counts
}
