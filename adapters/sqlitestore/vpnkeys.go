package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"gatehouse/core/vpn"
)

// keyMaterial is a key's material as stored (JSON).
type keyMaterial struct {
	RemoteID     string   `json:"remote_id,omitempty"`
	AccessURL    string   `json:"access_url,omitempty"`
	Config       string   `json:"config,omitempty"`
	PrivateKey   string   `json:"private_key,omitempty"`
	PublicKey    string   `json:"public_key,omitempty"`
	PresharedKey string   `json:"preshared_key,omitempty"`
	Addresses    []string `json:"addresses,omitempty"`
	DynamicToken string   `json:"dynamic_token,omitempty"`
}

func toMaterialJSON(m vpn.Material) string {
	b, _ := json.Marshal(keyMaterial(m)) // strings and a string slice always marshal
	return string(b)
}

const vpnKeyCols = `id, user_id, device_id, server_id, protocol, name, claimed_at, issued_at, revoked_at, material, dynamic_hash, traffic_bytes`

func scanVPNKey(row interface{ Scan(...any) error }) (vpn.AccessKey, error) {
	var (
		k                        vpn.AccessKey
		claimed, issued, revoked sql.NullInt64
		material                 string
	)
	if err := row.Scan(&k.ID, &k.UserID, &k.DeviceID, &k.ServerID, &k.Protocol, &k.Name, &claimed, &issued, &revoked,
		&material, &k.DynamicHash, &k.TrafficBytes); err != nil {
		return vpn.AccessKey{}, err
	}
	k.ClaimedAt, k.IssuedAt, k.RevokedAt = fromMS(claimed), fromMS(issued), fromMS(revoked)
	var m keyMaterial
	if err := json.Unmarshal([]byte(material), &m); err != nil {
		return vpn.AccessKey{}, fmt.Errorf("sqlitestore: vpn key %s material: %w", k.ID, err)
	}
	k.Material = vpn.Material(m)
	return k, nil
}

// ClaimKey implements ports.VPNStore: one insert, which the partial unique
// index over live keys refuses when the slot holds one.
func (s *VPNStore) ClaimKey(ctx context.Context, k vpn.AccessKey) error {
	_, err := s.db.w.ExecContext(ctx, `INSERT INTO vpn_keys (`+vpnKeyCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
		k.ID, k.UserID, k.DeviceID, k.ServerID, string(k.Protocol), k.Name, toMS(k.ClaimedAt), toMS(k.IssuedAt),
		toMaterialJSON(k.Material), k.DynamicHash, k.TrafficBytes)
	if _, ok := uniqueOn(err); ok {
		return vpn.KeyClaimed()
	}
	if err != nil {
		return dbErr("claim vpn key", err)
	}
	return nil
}

func (s *VPNStore) findKey(ctx context.Context, where string, args ...any) (vpn.AccessKey, error) {
	k, err := scanVPNKey(s.db.r.QueryRowContext(ctx, `SELECT `+vpnKeyCols+` FROM vpn_keys WHERE `+where, args...))
	if noRows(err) {
		return vpn.AccessKey{}, vpn.KeyNotFound()
	}
	if err != nil {
		return vpn.AccessKey{}, dbErr("find vpn key", err)
	}
	return k, nil
}

// LiveKey implements ports.VPNStore.
func (s *VPNStore) LiveKey(ctx context.Context, userID string, deviceID, serverID int64) (vpn.AccessKey, error) {
	return s.findKey(ctx, `user_id = ? AND device_id = ? AND server_id = ? AND revoked_at IS NULL`, userID, deviceID, serverID)
}

// Key implements ports.VPNStore.
func (s *VPNStore) Key(ctx context.Context, id string) (vpn.AccessKey, error) {
	return s.findKey(ctx, `id = ?`, id)
}

// KeyByDynamicHash implements ports.VPNStore.
func (s *VPNStore) KeyByDynamicHash(ctx context.Context, hash string) (vpn.AccessKey, error) {
	if hash == "" {
		return vpn.AccessKey{}, vpn.KeyNotFound()
	}
	return s.findKey(ctx, `dynamic_hash = ?`, hash)
}

// IssueKey implements ports.VPNStore with one conditional update.
func (s *VPNStore) IssueKey(ctx context.Context, id string, m vpn.Material, at time.Time) (vpn.AccessKey, error) {
	k, err := scanVPNKey(s.db.w.QueryRowContext(ctx,
		`UPDATE vpn_keys SET material = ?, issued_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING `+vpnKeyCols,
		toMaterialJSON(m), toMS(at), id))
	if noRows(err) {
		return vpn.AccessKey{}, vpn.KeyNotFound()
	}
	if err != nil {
		return vpn.AccessKey{}, dbErr("issue vpn key", err)
	}
	return k, nil
}

// DropClaim implements ports.VPNStore.
func (s *VPNStore) DropClaim(ctx context.Context, id string) error {
	if _, err := s.db.w.ExecContext(ctx, `DELETE FROM vpn_keys WHERE id = ? AND issued_at IS NULL`, id); err != nil {
		return dbErr("drop vpn key claim", err)
	}
	return nil
}

// RevokeKey implements ports.VPNStore; setting revoked_at takes the key
// out of the partial unique index, which frees its slot.
func (s *VPNStore) RevokeKey(ctx context.Context, id string, at time.Time) error {
	res, err := s.db.w.ExecContext(ctx, `UPDATE vpn_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, toMS(at), id)
	if err != nil {
		return dbErr("revoke vpn key", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		_, err := s.Key(ctx, id) // revoked before (nil), or absent
		return err
	}
	return nil
}

// UserKeys implements ports.VPNStore.
func (s *VPNStore) UserKeys(ctx context.Context, userID string) ([]vpn.AccessKey, error) {
	return queryAll(ctx, s.db.r, "list vpn keys", scanVPNKey,
		`SELECT `+vpnKeyCols+` FROM vpn_keys WHERE user_id = ? AND revoked_at IS NULL ORDER BY claimed_at, id`, userID)
}

// ServerKeys implements ports.VPNStore.
func (s *VPNStore) ServerKeys(ctx context.Context, serverID int64) ([]vpn.AccessKey, error) {
	return queryAll(ctx, s.db.r, "list vpn keys", scanVPNKey,
		`SELECT `+vpnKeyCols+` FROM vpn_keys WHERE server_id = ? AND revoked_at IS NULL ORDER BY claimed_at, id`, serverID)
}

// SetKeyTraffic implements ports.VPNStore.
func (s *VPNStore) SetKeyTraffic(ctx context.Context, id string, bytes int64) error {
	if _, err := s.db.w.ExecContext(ctx, `UPDATE vpn_keys SET traffic_bytes = ? WHERE id = ?`, bytes, id); err != nil {
		return dbErr("record vpn key traffic", err)
	}
	return nil
}

// peerStat is one peer of an agent's report as stored (JSON).
type peerStat struct {
	PublicKey string `json:"public_key"`
	Handshake int64  `json:"last_handshake_ms,omitempty"`
	Rx        int64  `json:"rx_bytes"`
	Tx        int64  `json:"tx_bytes"`
}

// peerStatsJSON is an agent's report as stored.
func peerStatsJSON(stats []vpn.PeerStat) (string, error) {
	rows := make([]peerStat, 0, len(stats))
	for _, p := range stats {
		rows = append(rows, peerStat{PublicKey: p.PublicKey, Handshake: toMS(p.LastHandshake).Int64, Rx: p.ReceiveBytes, Tx: p.TransmitBytes})
	}
	b, err := json.Marshal(rows)
	return string(b), err
}

// parsePeerStats reads an agent's report as stored.
func parsePeerStats(raw string) ([]vpn.PeerStat, error) {
	var rows []peerStat
	if err := json.Unmarshal([]byte(raw), &rows); err != nil {
		return nil, err
	}
	out := make([]vpn.PeerStat, 0, len(rows))
	for _, p := range rows {
		out = append(out, vpn.PeerStat{PublicKey: p.PublicKey, LastHandshake: fromMS(sql.NullInt64{Int64: p.Handshake, Valid: p.Handshake != 0}),
			ReceiveBytes: p.Rx, TransmitBytes: p.Tx})
	}
	return out, nil
}

// SavePeerStats implements ports.VPNStore.
func (s *VPNStore) SavePeerStats(ctx context.Context, serverID int64, stats []vpn.PeerStat) error {
	raw, err := peerStatsJSON(stats)
	if err != nil {
		return err
	}
	if _, err := s.db.w.ExecContext(ctx, `INSERT OR REPLACE INTO vpn_peer_stats (server_id, stats) VALUES (?, ?)`, serverID, raw); err != nil {
		return dbErr("save vpn peer stats", err)
	}
	return nil
}

// PeerStats implements ports.WireGuardBook.
func (s *VPNStore) PeerStats(ctx context.Context, serverID int64) ([]vpn.PeerStat, error) {
	var raw string
	err := s.db.r.QueryRowContext(ctx, `SELECT stats FROM vpn_peer_stats WHERE server_id = ?`, serverID).Scan(&raw)
	if noRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, dbErr("find vpn peer stats", err)
	}
	out, err := parsePeerStats(raw)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: vpn peer stats of server %d: %w", serverID, err)
	}
	return out, nil
}

// ClaimAddress implements ports.WireGuardBook: the primary key (server,
// address) lets one insert of an address succeed.
func (s *VPNStore) ClaimAddress(ctx context.Context, serverID int64, addr, keyID string) error {
	_, err := s.db.w.ExecContext(ctx, `INSERT INTO vpn_addresses (server_id, address, key_id) VALUES (?, ?, ?)`, serverID, addr, keyID)
	if _, ok := uniqueOn(err); ok {
		return vpn.AddressTaken()
	}
	if err != nil {
		return dbErr("claim vpn address", err)
	}
	return nil
}

// AddressesInUse implements ports.WireGuardBook.
func (s *VPNStore) AddressesInUse(ctx context.Context, serverID int64) ([]string, error) {
	return queryAll(ctx, s.db.r, "list vpn addresses", func(row interface{ Scan(...any) error }) (string, error) {
		var a string
		return a, row.Scan(&a)
	}, `SELECT address FROM vpn_addresses WHERE server_id = ?`, serverID)
}

// ReleaseAddresses implements ports.WireGuardBook.
func (s *VPNStore) ReleaseAddresses(ctx context.Context, keyID string) error {
	if _, err := s.db.w.ExecContext(ctx, `DELETE FROM vpn_addresses WHERE key_id = ?`, keyID); err != nil {
		return dbErr("release vpn addresses", err)
	}
	return nil
}
