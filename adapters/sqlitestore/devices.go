package sqlitestore

import (
	"context"
	"database/sql"

	"gatehouse/core/sessions"
)

// deviceCols are the columns every device read selects, in scanDevice's order.
const deviceCols = `id, user_id, name, user_agent, ip, created_at, last_seen`

func scanDevice(row interface{ Scan(...any) error }) (sessions.Device, error) {
	var (
		d             sessions.Device
		created, seen sql.NullInt64
	)
	err := row.Scan(&d.ID, &d.UserID, &d.Name, &d.UserAgent, &d.IP, &created, &seen)
	d.CreatedAt, d.LastSeen = fromMS(created), fromMS(seen)
	return d, err
}

// SaveDevice implements ports.SessionStore.
func (s *SessionStore) SaveDevice(ctx context.Context, d sessions.Device) error {
	_, err := s.db.w.ExecContext(ctx, `INSERT OR REPLACE INTO devices (`+deviceCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		d.ID, d.UserID, d.Name, d.UserAgent, d.IP, toMS(d.CreatedAt), toMS(d.LastSeen))
	if err != nil {
		return dbErr("save device", err)
	}
	return nil
}

// Device implements ports.SessionStore.
func (s *SessionStore) Device(ctx context.Context, id string) (sessions.Device, error) {
	d, err := scanDevice(s.db.r.QueryRowContext(ctx, `SELECT `+deviceCols+` FROM devices WHERE id = ?`, id))
	if noRows(err) {
		return sessions.Device{}, sessions.DeviceNotFound()
	}
	if err != nil {
		return sessions.Device{}, dbErr("find device", err)
	}
	return d, nil
}

// Devices implements ports.SessionStore.
func (s *SessionStore) Devices(ctx context.Context, userID string) ([]sessions.Device, error) {
	rows, err := s.db.r.QueryContext(ctx,
		`SELECT `+deviceCols+` FROM devices WHERE user_id = ? ORDER BY last_seen DESC, id`, userID)
	if err != nil {
		return nil, dbErr("list devices", err)
	}
	return collect(rows, scanDevice, "list devices")
}
