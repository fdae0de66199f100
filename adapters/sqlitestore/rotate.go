package sqlitestore

import (
	"context"
	"database/sql"
	"time"

	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// RotateRefresh implements ports.SessionStore in one transaction of the
// writer: the consume as ConsumeRefresh does it (its use's primary key lets
// one of concurrent calls in), the successor's insert, and the device's
// touch, or none of them.
func (s *SessionStore) RotateRefresh(ctx context.Context, hash string, at time.Time, next sessions.RefreshToken, seen ports.DeviceSeen) error {
	return s.db.write(ctx, "rotate refresh token", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx,
			`INSERT INTO refresh_uses (hash, user_id, used_at) SELECT hash, user_id, ? FROM refresh_tokens WHERE hash = ?`,
			toMS(at), hash)
		if _, ok := uniqueOn(err); ok {
			return sessions.RefreshReused()
		}
		if err != nil {
			return dbErr("consume refresh token", err)
		}
		if n, err := affected(res, "consume refresh token"); err != nil {
			return err
		} else if n != 1 {
			return errRefreshNotFound()
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO refresh_tokens (`+refreshCols+`) VALUES (?, ?, ?, ?, ?, ?)`,
			next.Hash, next.FamilyID, next.UserID, next.Seq, toMS(next.IssuedAt), toMS(next.ExpiresAt))
		if _, ok := uniqueOn(err); ok {
			return sessions.RefreshExists()
		}
		if err != nil {
			return dbErr("insert refresh token", err)
		}
		if seen.ID != "" {
			// sessions.Device.Seen in SQL: non-empty values replace, last_seen only moves forward.
			_, err = tx.ExecContext(ctx, `UPDATE devices SET
				name = CASE WHEN ?1 <> '' THEN ?1 ELSE name END,
				user_agent = CASE WHEN ?2 <> '' THEN ?2 ELSE user_agent END,
				ip = CASE WHEN ?3 <> '' THEN ?3 ELSE ip END,
				last_seen = CASE WHEN ?4 IS NULL THEN last_seen ELSE MAX(COALESCE(last_seen, ?4), ?4) END
				WHERE id = ?5`, seen.Name, seen.UserAgent, seen.IP, toMS(seen.At), seen.ID)
			if err != nil {
				return dbErr("touch device", err)
			}
		}
		return nil
	})
}
