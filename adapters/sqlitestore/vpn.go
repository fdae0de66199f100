package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"gatehouse/core/vpn"
	"gatehouse/ports"
)

// VPNStore keeps VPN access in the vpn_* tables (vpnMigration). Every limit
// is one statement or one IMMEDIATE transaction on the single writer, so it
// holds against concurrent calls and against other processes on the file.
type VPNStore struct {
	db *DB
}

var _ ports.VPNStore = (*VPNStore)(nil)

// NewVPNStore returns the VPN store of db.
func NewVPNStore(db *DB) *VPNStore { return &VPNStore{db: db} }

// serverSettings is a server's protocol settings as stored (JSON).
type serverSettings struct {
	WireGuard struct {
		PublicKey  string   `json:"public_key,omitempty"`
		ListenPort int      `json:"listen_port,omitempty"`
		IPv4CIDR   string   `json:"ipv4_cidr,omitempty"`
		IPv6CIDR   string   `json:"ipv6_cidr,omitempty"`
		DNS        []string `json:"dns,omitempty"`
		MTU        int      `json:"mtu,omitempty"`
		Keepalive  int      `json:"keepalive,omitempty"`
		AllowedIPs []string `json:"allowed_ips,omitempty"`
	} `json:"wireguard"`
	Outline struct {
		APIURL     string `json:"api_url,omitempty"`
		CertSHA256 string `json:"cert_sha256,omitempty"`
	} `json:"outline"`
	Static struct {
		AccessURL string `json:"access_url,omitempty"`
		Config    string `json:"config,omitempty"`
	} `json:"static"`
}

func toSettings(s vpn.Server) ([]byte, error) {
	var st serverSettings
	w := &st.WireGuard
	w.PublicKey, w.ListenPort, w.IPv4CIDR, w.IPv6CIDR = s.WireGuard.PublicKey, s.WireGuard.ListenPort, s.WireGuard.IPv4CIDR, s.WireGuard.IPv6CIDR
	w.DNS, w.MTU, w.Keepalive, w.AllowedIPs = s.WireGuard.DNS, s.WireGuard.MTU, s.WireGuard.Keepalive, s.WireGuard.AllowedIPs
	st.Outline.APIURL, st.Outline.CertSHA256 = s.Outline.APIURL, s.Outline.CertSHA256
	st.Static.AccessURL, st.Static.Config = s.Static.AccessURL, s.Static.Config
	return json.Marshal(st)
}

const vpnServerCols = `id, country, city, ping_url, endpoint, protocol, capacity, enabled, settings`

func scanVPNServer(row interface{ Scan(...any) error }) (vpn.Server, error) {
	var (
		s        vpn.Server
		settings string
	)
	if err := row.Scan(&s.ID, &s.Country, &s.City, &s.PingURL, &s.Endpoint, &s.Protocol, &s.Capacity, &s.Enabled, &settings); err != nil {
		return vpn.Server{}, err
	}
	var st serverSettings
	if err := json.Unmarshal([]byte(settings), &st); err != nil {
		return vpn.Server{}, fmt.Errorf("sqlitestore: vpn server %d settings: %w", s.ID, err)
	}
	w := st.WireGuard
	s.WireGuard = vpn.WireGuardSettings{PublicKey: w.PublicKey, ListenPort: w.ListenPort, IPv4CIDR: w.IPv4CIDR,
		IPv6CIDR: w.IPv6CIDR, DNS: w.DNS, MTU: w.MTU, Keepalive: w.Keepalive, AllowedIPs: w.AllowedIPs}
	s.Outline = vpn.OutlineSettings{APIURL: st.Outline.APIURL, CertSHA256: st.Outline.CertSHA256}
	s.Static = vpn.StaticSettings{AccessURL: st.Static.AccessURL, Config: st.Static.Config}
	return s, nil
}

// AddServer implements ports.VPNStore.
func (s *VPNStore) AddServer(ctx context.Context, srv vpn.Server) (vpn.Server, error) {
	settings, err := toSettings(srv)
	if err != nil {
		return vpn.Server{}, err
	}
	err = s.db.w.QueryRowContext(ctx, `INSERT INTO vpn_servers (country, city, ping_url, endpoint, protocol, capacity, enabled, settings)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		srv.Country, srv.City, srv.PingURL, srv.Endpoint, string(srv.Protocol), srv.Capacity, srv.Enabled, string(settings)).Scan(&srv.ID)
	if err != nil {
		return vpn.Server{}, dbErr("insert vpn server", err)
	}
	srv.ActiveConnections = 0
	return srv, nil
}

// Server implements ports.VPNStore.
func (s *VPNStore) Server(ctx context.Context, id int64) (vpn.Server, error) {
	srv, err := scanVPNServer(s.db.r.QueryRowContext(ctx, `SELECT `+vpnServerCols+` FROM vpn_servers WHERE id = ?`, id))
	if noRows(err) {
		return vpn.Server{}, vpn.ServerNotFound()
	}
	if err != nil {
		return vpn.Server{}, dbErr("find vpn server", err)
	}
	return srv, nil
}

// Servers implements ports.VPNStore.
func (s *VPNStore) Servers(ctx context.Context) ([]vpn.Server, error) {
	return queryAll(ctx, s.db.r, "list vpn servers", scanVPNServer, `SELECT `+vpnServerCols+` FROM vpn_servers ORDER BY id`)
}

// SetServerEnabled implements ports.VPNStore.
func (s *VPNStore) SetServerEnabled(ctx context.Context, id int64, enabled bool) error {
	res, err := s.db.w.ExecContext(ctx, `UPDATE vpn_servers SET enabled = ? WHERE id = ?`, enabled, id)
	if err != nil {
		return dbErr("switch vpn server", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return vpn.ServerNotFound()
	}
	return nil
}

const vpnSubCols = `user_id, plan, status, started_at, expires_at, device_limit, traffic_limit, updated_at, settled_at`

func scanVPNSub(row interface{ Scan(...any) error }) (vpn.Subscription, error) {
	var (
		s                                  vpn.Subscription
		started, expires, updated, settled sql.NullInt64
	)
	err := row.Scan(&s.UserID, &s.Plan, &s.Status, &started, &expires, &s.DeviceLimit, &s.TrafficLimitBytes, &updated, &settled)
	s.StartedAt, s.ExpiresAt, s.UpdatedAt, s.SettledAt = fromMS(started), fromMS(expires), fromMS(updated), fromMS(settled)
	return s, err
}

// SaveSubscription implements ports.VPNStore.
func (s *VPNStore) SaveSubscription(ctx context.Context, sub vpn.Subscription) error {
	_, err := s.db.w.ExecContext(ctx, `INSERT OR REPLACE INTO vpn_subscriptions (`+vpnSubCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		sub.UserID, sub.Plan, string(sub.Status), toMS(sub.StartedAt), toMS(sub.ExpiresAt), sub.DeviceLimit,
		sub.TrafficLimitBytes, toMS(sub.UpdatedAt), toMS(sub.SettledAt))
	if err != nil {
		return dbErr("save vpn subscription", err)
	}
	return nil
}

// Subscription implements ports.VPNStore.
func (s *VPNStore) Subscription(ctx context.Context, userID string) (vpn.Subscription, error) {
	sub, err := scanVPNSub(s.db.r.QueryRowContext(ctx, `SELECT `+vpnSubCols+` FROM vpn_subscriptions WHERE user_id = ?`, userID))
	if noRows(err) {
		return vpn.Subscription{}, vpn.SubscriptionNotFound()
	}
	if err != nil {
		return vpn.Subscription{}, dbErr("find vpn subscription", err)
	}
	return sub, nil
}

// UnsettledSubscriptions implements ports.VPNStore, from the partial index
// of unsettled subscriptions.
func (s *VPNStore) UnsettledSubscriptions(ctx context.Context, now time.Time, limit int) ([]vpn.Subscription, error) {
	if limit < 1 {
		return nil, vpn.LimitInvalid()
	}
	return queryAll(ctx, s.db.r, "list unsettled vpn subscriptions", scanVPNSub,
		`SELECT `+vpnSubCols+` FROM vpn_subscriptions
		WHERE settled_at IS NULL AND (status <> ? OR expires_at IS NULL OR expires_at <= ?)
		ORDER BY expires_at, user_id LIMIT ?`,
		string(vpn.StatusActive), toMS(now), limit)
}

// SettleSubscription implements ports.VPNStore.
func (s *VPNStore) SettleSubscription(ctx context.Context, userID string, updatedAt, at time.Time) (bool, error) {
	res, err := s.db.w.ExecContext(ctx, `UPDATE vpn_subscriptions SET settled_at = ? WHERE user_id = ? AND updated_at IS ?`,
		toMS(at), userID, toMS(updatedAt))
	if err != nil {
		return false, dbErr("settle vpn subscription", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return true, nil
	}
	if _, err := s.Subscription(ctx, userID); err != nil {
		return false, err
	}
	return false, nil
}

// SaveLink implements ports.VPNStore in one transaction: the user's old
// link goes and the new one comes.
func (s *VPNStore) SaveLink(ctx context.Context, l vpn.SubscriptionLink) error {
	return s.db.write(ctx, "save vpn link", func(tx *sql.Tx) error {
		var holder string
		err := tx.QueryRowContext(ctx, `SELECT user_id FROM vpn_links WHERE token_hash = ?`, l.TokenHash).Scan(&holder)
		switch {
		case err == nil && holder != l.UserID:
			return vpn.LinkTaken()
		case err != nil && !noRows(err):
			return dbErr("save vpn link", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM vpn_links WHERE user_id = ?`, l.UserID); err != nil {
			return dbErr("save vpn link", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO vpn_links (token_hash, user_id, created_at) VALUES (?, ?, ?)`,
			l.TokenHash, l.UserID, toMS(l.CreatedAt)); err != nil {
			return dbErr("save vpn link", err)
		}
		return nil
	})
}

// LinkByHash implements ports.VPNStore.
func (s *VPNStore) LinkByHash(ctx context.Context, hash string) (vpn.SubscriptionLink, error) {
	l := vpn.SubscriptionLink{TokenHash: hash}
	var created sql.NullInt64
	err := s.db.r.QueryRowContext(ctx, `SELECT user_id, created_at FROM vpn_links WHERE token_hash = ?`, hash).Scan(&l.UserID, &created)
	if noRows(err) {
		return vpn.SubscriptionLink{}, vpn.LinkNotFound()
	}
	if err != nil {
		return vpn.SubscriptionLink{}, dbErr("find vpn link", err)
	}
	l.CreatedAt = fromMS(created)
	return l, nil
}

// DeleteLink implements ports.VPNStore.
func (s *VPNStore) DeleteLink(ctx context.Context, userID string) error {
	if _, err := s.db.w.ExecContext(ctx, `DELETE FROM vpn_links WHERE user_id = ?`, userID); err != nil {
		return dbErr("delete vpn link", err)
	}
	return nil
}

// DeleteVPNUser implements ports.VPNStore in one transaction.
func (s *VPNStore) DeleteVPNUser(ctx context.Context, userID string) error {
	return s.db.write(ctx, "delete vpn user", func(tx *sql.Tx) error {
		for _, q := range []string{
			`DELETE FROM vpn_addresses WHERE key_id IN (SELECT id FROM vpn_keys WHERE user_id = ?)`,
			`DELETE FROM vpn_keys WHERE user_id = ?`,
			`DELETE FROM vpn_devices WHERE user_id = ?`,
			`DELETE FROM vpn_links WHERE user_id = ?`,
			`DELETE FROM vpn_subscriptions WHERE user_id = ?`,
		} {
			if _, err := tx.ExecContext(ctx, q, userID); err != nil {
				return dbErr("delete vpn user", err)
			}
		}
		return nil
	})
}

// queryAll runs a query and scans every row.
func queryAll[T any](ctx context.Context, db *sql.DB, what string, scan func(interface{ Scan(...any) error }) (T, error), q string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, dbErr(what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, dbErr(what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, dbErr(what, err)
	}
	return out, nil
}
