package sqlitestore

import (
	"context"
	"database/sql"

	"gatehouse/core/vpn"
)

const vpnDeviceCols = `id, user_id, client_id, name, created_at, last_seen`

func scanVPNDevice(row interface{ Scan(...any) error }) (vpn.Device, error) {
	var (
		d             vpn.Device
		created, seen sql.NullInt64
	)
	err := row.Scan(&d.ID, &d.UserID, &d.ClientID, &d.Name, &created, &seen)
	d.CreatedAt, d.LastSeen = fromMS(created), fromMS(seen)
	return d, err
}

// AddDevice implements ports.VPNStore in one IMMEDIATE transaction: the
// count and the insert see no other writer in between.
func (s *VPNStore) AddDevice(ctx context.Context, d vpn.Device, limit int) (vpn.Device, error) {
	err := s.db.write(ctx, "add vpn device", func(tx *sql.Tx) error {
		got, err := scanVPNDevice(tx.QueryRowContext(ctx,
			`UPDATE vpn_devices SET name = ?, last_seen = ? WHERE user_id = ? AND client_id = ? RETURNING `+vpnDeviceCols,
			d.Name, toMS(d.LastSeen), d.UserID, d.ClientID))
		switch {
		case err == nil:
			d = got
			return nil
		case !noRows(err):
			return dbErr("add vpn device", err)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM vpn_devices WHERE user_id = ?`, d.UserID).Scan(&n); err != nil {
			return dbErr("count vpn devices", err)
		}
		if err := vpn.AdmitDevice(n, limit); err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO vpn_devices (user_id, client_id, name, created_at, last_seen) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			d.UserID, d.ClientID, d.Name, toMS(d.CreatedAt), toMS(d.LastSeen)).Scan(&d.ID)
		if err != nil {
			return dbErr("insert vpn device", err)
		}
		return nil
	})
	if err != nil {
		return vpn.Device{}, err
	}
	return d, nil
}

// Device implements ports.VPNStore.
func (s *VPNStore) Device(ctx context.Context, userID string, id int64) (vpn.Device, error) {
	return s.findDevice(ctx, `id = ? AND user_id = ?`, id, userID)
}

// DeviceByClientID implements ports.VPNStore.
func (s *VPNStore) DeviceByClientID(ctx context.Context, userID, clientID string) (vpn.Device, error) {
	return s.findDevice(ctx, `user_id = ? AND client_id = ?`, userID, clientID)
}

func (s *VPNStore) findDevice(ctx context.Context, where string, args ...any) (vpn.Device, error) {
	d, err := scanVPNDevice(s.db.r.QueryRowContext(ctx, `SELECT `+vpnDeviceCols+` FROM vpn_devices WHERE `+where, args...))
	if noRows(err) {
		return vpn.Device{}, vpn.DeviceNotFound()
	}
	if err != nil {
		return vpn.Device{}, dbErr("find vpn device", err)
	}
	return d, nil
}

// Devices implements ports.VPNStore.
func (s *VPNStore) Devices(ctx context.Context, userID string) ([]vpn.Device, error) {
	return queryAll(ctx, s.db.r, "list vpn devices", scanVPNDevice,
		`SELECT `+vpnDeviceCols+` FROM vpn_devices WHERE user_id = ? ORDER BY created_at, id`, userID)
}

// RemoveDevice implements ports.VPNStore.
func (s *VPNStore) RemoveDevice(ctx context.Context, userID string, id int64) error {
	res, err := s.db.w.ExecContext(ctx, `DELETE FROM vpn_devices WHERE id = ? AND user_id = ?`, id, userID)
	if err != nil {
		return dbErr("delete vpn device", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return vpn.DeviceNotFound()
	}
	return nil
}
