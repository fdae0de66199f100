package sqlitestore

import (
	"context"
	"database/sql"
	"time"

	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// SessionStore keeps refresh-token families, refresh tokens, their single
// uses and devices.
type SessionStore struct {
	db *DB
}

var _ ports.SessionStore = (*SessionStore)(nil)

// NewSessionStore returns the session store of db.
func NewSessionStore(db *DB) *SessionStore { return &SessionStore{db: db} }

func errFamilyNotFound() error {
	return sessions.FamilyNotFound()
}

// familyCols are the columns every family read selects, in scanFamily's order.
const familyCols = `id, user_id, device_id, audience, created_at, expires_at, revoked_at, reason, kind, token_hash, last_used_at`

func scanFamily(row interface{ Scan(...any) error }) (sessions.Family, error) {
	var (
		f                                   sessions.Family
		created, expires, revoked, lastUsed sql.NullInt64
	)
	err := row.Scan(&f.ID, &f.UserID, &f.DeviceID, &f.Audience, &created, &expires, &revoked, &f.Reason, &f.Kind, &f.TokenHash, &lastUsed)
	f.CreatedAt, f.ExpiresAt, f.RevokedAt, f.LastUsedAt = fromMS(created), fromMS(expires), fromMS(revoked), fromMS(lastUsed)
	return f, err
}

// CreateFamily implements ports.SessionStore.
func (s *SessionStore) CreateFamily(ctx context.Context, f sessions.Family) error {
	_, err := s.db.w.ExecContext(ctx, `INSERT INTO session_families (`+familyCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.ID, f.UserID, f.DeviceID, f.Audience, toMS(f.CreatedAt), toMS(f.ExpiresAt), toMS(f.RevokedAt),
		f.Reason, f.Kind, f.TokenHash, toMS(f.LastUsedAt))
	if _, ok := uniqueOn(err); ok {
		return sessions.FamilyExists()
	}
	if err != nil {
		return dbErr("insert family", err)
	}
	return nil
}

// Family implements ports.SessionStore.
func (s *SessionStore) Family(ctx context.Context, id string) (sessions.Family, error) {
	f, err := scanFamily(s.db.r.QueryRowContext(ctx, `SELECT `+familyCols+` FROM session_families WHERE id = ?`, id))
	if noRows(err) {
		return sessions.Family{}, errFamilyNotFound()
	}
	if err != nil {
		return sessions.Family{}, dbErr("find family", err)
	}
	return f, nil
}

// RevokeFamily implements ports.SessionStore. The update matches only a
// live family, so the first revocation is the one kept.
func (s *SessionStore) RevokeFamily(ctx context.Context, id string, at time.Time, reason string) error {
	res, err := s.db.w.ExecContext(ctx,
		`UPDATE session_families SET revoked_at = ?, reason = ? WHERE id = ? AND revoked_at IS NULL`, toMS(at), reason, id)
	if err != nil {
		return dbErr("revoke family", err)
	}
	if n, err := affected(res, "revoke family"); err != nil || n == 1 {
		return err
	}
	_, err = s.Family(ctx, id) // revoked already (nil), or absent
	return err
}

// RevokeUserFamilies implements ports.SessionStore with one UPDATE, so of
// concurrent calls exactly one reports each family.
func (s *SessionStore) RevokeUserFamilies(ctx context.Context, userID string, at time.Time, reason string) ([]string, error) {
	rows, err := s.db.w.QueryContext(ctx,
		`UPDATE session_families SET revoked_at = ?, reason = ? WHERE user_id = ? AND revoked_at IS NULL RETURNING id`,
		toMS(at), reason, userID)
	if err != nil {
		return nil, dbErr("revoke user's families", err)
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (string, error) {
		var id string
		return id, r.Scan(&id)
	}, "revoke user's families")
}

// Families implements ports.SessionStore.
func (s *SessionStore) Families(ctx context.Context, userID string) ([]sessions.Family, error) {
	rows, err := s.db.r.QueryContext(ctx,
		`SELECT `+familyCols+` FROM session_families WHERE user_id = ? ORDER BY created_at DESC, id`, userID)
	if err != nil {
		return nil, dbErr("list families", err)
	}
	return collect(rows, scanFamily, "list families")
}

// TouchFamily implements ports.SessionStore with one UPDATE that never
// moves LastUsedAt back and writes nothing else.
func (s *SessionStore) TouchFamily(ctx context.Context, id string, at time.Time) (sessions.Family, error) {
	t := toMS(at)
	f, err := scanFamily(s.db.w.QueryRowContext(ctx,
		`UPDATE session_families SET last_used_at = CASE WHEN last_used_at IS NULL OR last_used_at < ? THEN ? ELSE last_used_at END
		 WHERE id = ? RETURNING `+familyCols, t, t, id))
	if noRows(err) {
		return sessions.Family{}, errFamilyNotFound()
	}
	if err != nil {
		return sessions.Family{}, dbErr("touch family", err)
	}
	return f, nil
}

// RevokedSince implements ports.SessionStore with one range read of the
// partial index on revoked_at, which holds revoked families only.
func (s *SessionStore) RevokedSince(ctx context.Context, since time.Time, limit int) ([]sessions.Family, error) {
	if limit < 1 {
		return nil, sessions.LimitInvalid()
	}
	rows, err := s.db.r.QueryContext(ctx,
		`SELECT `+familyCols+` FROM session_families WHERE revoked_at >= ? ORDER BY revoked_at, id LIMIT ?`,
		boundMS(since), limit)
	if err != nil {
		return nil, dbErr("list revoked families", err)
	}
	fs, err := collect(rows, scanFamily, "list revoked families")
	if fs == nil && err == nil {
		fs = []sessions.Family{}
	}
	return fs, err
}

// DeleteUser implements ports.SessionStore in one transaction.
func (s *SessionStore) DeleteUser(ctx context.Context, userID string) error {
	return s.db.write(ctx, "delete user's sessions", func(tx *sql.Tx) error {
		for _, table := range []string{"refresh_uses", "refresh_tokens", "session_families", "devices"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE user_id = ?`, userID); err != nil {
				return dbErr("delete user's "+table, err)
			}
		}
		return nil
	})
}
