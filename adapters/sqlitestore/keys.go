package sqlitestore

import (
	"context"
	"database/sql"
	"time"

	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// KeyStore keeps token-signing keys in signing_keys; the unique index on
// generation makes replicas that start together agree on one key.
type KeyStore struct {
	db *DB
}

var _ ports.KeyStore = (*KeyStore)(nil)

// NewKeyStore returns the key store of db.
func NewKeyStore(db *DB) *KeyStore { return &KeyStore{db: db} }

// keyCols are the columns every key read selects, in scanKey's order.
const keyCols = `id, algorithm, generation, private_pem, public_pem, created_at, retired_at, not_after`

func scanKey(row interface{ Scan(...any) error }) (sessions.SigningKey, error) {
	var (
		k                          sessions.SigningKey
		created, retired, notAfter sql.NullInt64
	)
	err := row.Scan(&k.ID, &k.Algorithm, &k.Generation, &k.PrivatePEM, &k.PublicPEM, &created, &retired, &notAfter)
	k.CreatedAt, k.RetiredAt, k.NotAfter = fromMS(created), fromMS(retired), fromMS(notAfter)
	return k, err
}

// AddKey implements ports.KeyStore.
func (s *KeyStore) AddKey(ctx context.Context, k sessions.SigningKey) error {
	_, err := s.db.w.ExecContext(ctx, `INSERT INTO signing_keys (`+keyCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		k.ID, k.Algorithm, k.Generation, k.PrivatePEM, k.PublicPEM, toMS(k.CreatedAt), toMS(k.RetiredAt), toMS(k.NotAfter))
	if _, ok := uniqueOn(err); ok {
		return sessions.KeyExists()
	}
	if err != nil {
		return dbErr("insert signing key", err)
	}
	return nil
}

// Keys implements ports.KeyStore.
func (s *KeyStore) Keys(ctx context.Context) ([]sessions.SigningKey, error) {
	rows, err := s.db.r.QueryContext(ctx, `SELECT `+keyCols+` FROM signing_keys ORDER BY generation DESC`)
	if err != nil {
		return nil, dbErr("list signing keys", err)
	}
	return collect(rows, scanKey, "list signing keys")
}

// RetireKey implements ports.KeyStore.
func (s *KeyStore) RetireKey(ctx context.Context, id string, retiredAt, notAfter time.Time) error {
	res, err := s.db.w.ExecContext(ctx, `UPDATE signing_keys SET retired_at = ?, not_after = ? WHERE id = ?`,
		toMS(retiredAt), toMS(notAfter), id)
	if err != nil {
		return dbErr("retire signing key", err)
	}
	if n, err := affected(res, "retire signing key"); err != nil || n == 1 {
		return err
	}
	return sessions.KeyNotFound()
}
