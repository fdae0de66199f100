package sqlitestore

import (
	"context"
	"database/sql"
	"time"

	"gatehouse/core/sessions"
)

// refreshCols are the columns every token read selects, in scanRefresh's order.
const refreshCols = `hash, family_id, user_id, seq, issued_at, expires_at`

func scanRefresh(row interface{ Scan(...any) error }) (sessions.RefreshToken, error) {
	var (
		t               sessions.RefreshToken
		issued, expires sql.NullInt64
	)
	err := row.Scan(&t.Hash, &t.FamilyID, &t.UserID, &t.Seq, &issued, &expires)
	t.IssuedAt, t.ExpiresAt = fromMS(issued), fromMS(expires)
	return t, err
}

func errRefreshNotFound() error {
	return sessions.RefreshNotFound()
}

// AddRefresh implements ports.SessionStore.
func (s *SessionStore) AddRefresh(ctx context.Context, t sessions.RefreshToken) error {
	_, err := s.db.w.ExecContext(ctx, `INSERT INTO refresh_tokens (`+refreshCols+`) VALUES (?, ?, ?, ?, ?, ?)`,
		t.Hash, t.FamilyID, t.UserID, t.Seq, toMS(t.IssuedAt), toMS(t.ExpiresAt))
	if _, ok := uniqueOn(err); ok {
		return sessions.RefreshExists()
	}
	if err != nil {
		return dbErr("insert refresh token", err)
	}
	return nil
}

// Refresh implements ports.SessionStore.
func (s *SessionStore) Refresh(ctx context.Context, hash string) (sessions.RefreshToken, error) {
	t, err := scanRefresh(s.db.r.QueryRowContext(ctx, `SELECT `+refreshCols+` FROM refresh_tokens WHERE hash = ?`, hash))
	if noRows(err) {
		return sessions.RefreshToken{}, errRefreshNotFound()
	}
	if err != nil {
		return sessions.RefreshToken{}, dbErr("find refresh token", err)
	}
	return t, nil
}

// ConsumeRefresh implements ports.SessionStore with one INSERT of the
// token's use, selected from the token itself: no token inserts nothing
// (not found), and the use's primary key lets exactly one of concurrent
// calls in.
func (s *SessionStore) ConsumeRefresh(ctx context.Context, hash string, at time.Time) error {
	res, err := s.db.w.ExecContext(ctx,
		`INSERT INTO refresh_uses (hash, user_id, used_at) SELECT hash, user_id, ? FROM refresh_tokens WHERE hash = ?`,
		toMS(at), hash)
	if _, ok := uniqueOn(err); ok {
		return sessions.RefreshReused()
	}
	if err != nil {
		return dbErr("consume refresh token", err)
	}
	if n, err := affected(res, "consume refresh token"); err != nil || n == 1 {
		return err
	}
	return errRefreshNotFound()
}
