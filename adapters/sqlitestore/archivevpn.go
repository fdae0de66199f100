package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"strconv"
	"strings"

	"gatehouse/ports"
)

// vpnTables describes the tables of VPN access (vpnMigration) and
// sqlite_sequence, where SQLite keeps the highest ID each AUTOINCREMENT
// table gave. A row put with its ID raises its table's sequence by itself.
func vpnTables() map[ports.Collection]table {
	return map[ports.Collection]table{
		ports.CollVPNServers: {name: "vpn_servers", key: "id", from: intFrom, cols: vpnServerCols,
			scan: func(row scanner) (ports.Record, error) {
				s, err := scanVPNServer(row)
				return ports.Record{Key: strconv.FormatInt(s.ID, 10), VPNServer: s}, err
			},
			values: func(r ports.Record) ([]any, error) {
				s := r.VPNServer
				settings, err := toSettings(s)
				return []any{s.ID, s.Country, s.City, s.PingURL, s.Endpoint, string(s.Protocol), s.Capacity, s.Enabled, string(settings)}, err
			}},
		ports.CollVPNSubscriptions: {name: "vpn_subscriptions", key: "user_id", cols: vpnSubCols,
			scan: func(row scanner) (ports.Record, error) {
				s, err := scanVPNSub(row)
				return ports.Record{Key: s.UserID, VPNSubscription: s}, err
			},
			values: func(r ports.Record) ([]any, error) {
				s := r.VPNSubscription
				return []any{s.UserID, s.Plan, string(s.Status), toMS(s.StartedAt), toMS(s.ExpiresAt), s.DeviceLimit,
					s.TrafficLimitBytes, toMS(s.UpdatedAt), toMS(s.SettledAt)}, nil
			}},
		ports.CollVPNDevices: {name: "vpn_devices", key: "id", from: intFrom, cols: vpnDeviceCols,
			scan: func(row scanner) (ports.Record, error) {
				d, err := scanVPNDevice(row)
				return ports.Record{Key: strconv.FormatInt(d.ID, 10), VPNDevice: d}, err
			},
			values: func(r ports.Record) ([]any, error) {
				d := r.VPNDevice
				return []any{d.ID, d.UserID, d.ClientID, d.Name, toMS(d.CreatedAt), toMS(d.LastSeen)}, nil
			}},
		ports.CollVPNKeys: {name: "vpn_keys", key: "id", cols: vpnKeyCols,
			scan: func(row scanner) (ports.Record, error) {
				k, err := scanVPNKey(row)
				return ports.Record{Key: k.ID, VPNKey: k}, err
			},
			values: func(r ports.Record) ([]any, error) {
				k := r.VPNKey
				return []any{k.ID, k.UserID, k.DeviceID, k.ServerID, string(k.Protocol), k.Name, toMS(k.ClaimedAt), toMS(k.IssuedAt),
					toMS(k.RevokedAt), toMaterialJSON(k.Material), k.DynamicHash, k.TrafficBytes}, nil
			}},
		ports.CollVPNAddresses: {name: "vpn_addresses", key: "server_id, address", from: addressFrom, cols: "server_id, address, key_id",
			scan: func(row scanner) (ports.Record, error) {
				var a ports.VPNAddress
				err := row.Scan(&a.ServerID, &a.Address, &a.KeyID)
				return ports.Record{Key: a.Key(), VPNAddress: a}, err
			},
			values: func(r ports.Record) ([]any, error) {
				return []any{r.VPNAddress.ServerID, r.VPNAddress.Address, r.VPNAddress.KeyID}, nil
			}},
		ports.CollVPNPeerStats: {name: "vpn_peer_stats", key: "server_id", from: intFrom, cols: "server_id, stats",
			scan: func(row scanner) (ports.Record, error) {
				var (
					p   ports.VPNPeerStats
					raw string
				)
				if err := row.Scan(&p.ServerID, &raw); err != nil {
					return ports.Record{}, err
				}
				var err error
				p.Peers, err = parsePeerStats(raw)
				return ports.Record{Key: strconv.FormatInt(p.ServerID, 10), VPNPeerStats: p}, err
			},
			values: func(r ports.Record) ([]any, error) {
				raw, err := peerStatsJSON(r.VPNPeerStats.Peers)
				return []any{r.VPNPeerStats.ServerID, raw}, err
			}},
		ports.CollVPNLinks: {name: "vpn_links", key: "token_hash", cols: "token_hash, user_id, created_at",
			scan: func(row scanner) (ports.Record, error) {
				var (
					l       ports.Record
					created sql.NullInt64
				)
				err := row.Scan(&l.VPNLink.TokenHash, &l.VPNLink.UserID, &created)
				l.Key, l.VPNLink.CreatedAt = l.VPNLink.TokenHash, fromMS(created)
				return l, err
			},
			values: func(r ports.Record) ([]any, error) {
				return []any{r.VPNLink.TokenHash, r.VPNLink.UserID, toMS(r.VPNLink.CreatedAt)}, nil
			}},
		ports.CollSequences: {name: "sqlite_sequence", key: "name", cols: "name, seq",
			scan: func(row scanner) (ports.Record, error) {
				var s ports.Sequence
				err := row.Scan(&s.Name, &s.Last)
				return ports.Record{Key: string(s.Name), Sequence: s}, err
			},
			put: putSequence},
	}
}

// addressFrom reads a VPN address key, "<server ID>|<address>".
func addressFrom(after string) ([]any, error) {
	if after == "" {
		return []any{int64(math.MinInt64), ""}, nil
	}
	server, addr, ok := strings.Cut(after, "|")
	if !ok {
		return nil, errors.New(`want "<server ID>|<address>"`)
	}
	n, err := strconv.ParseInt(server, 10, 64)
	return []any{n, addr}, err
}

// putSequence raises the sequence of an AUTOINCREMENT table to s.Last; it
// never lowers one, so no ID is given twice.
func putSequence(ctx context.Context, tx *sql.Tx, r ports.Record) error {
	s := r.Sequence
	var numbered bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? AND sql LIKE '%AUTOINCREMENT%')`,
		string(s.Name)).Scan(&numbered)
	if err != nil {
		return dbErr("put sequence", err)
	}
	if !numbered {
		return ports.SequenceUnknown(s.Name)
	}
	res, err := tx.ExecContext(ctx, `UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?`, s.Last, string(s.Name))
	if err != nil {
		return dbErr("put sequence", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)`, string(s.Name), s.Last); err != nil {
		return dbErr("put sequence", err)
	}
	return nil
}
