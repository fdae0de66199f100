package sqlitestore

import (
	"context"
	"database/sql"
	"strconv"

	"gatehouse/ports"
)

// identityTables describes the tables of users, sessions, keys,
// challenges and links.
func identityTables() map[ports.Collection]table {
	return map[ports.Collection]table{
		ports.CollUsers: {name: "users", key: "id", cols: userCols,
			scan: func(row scanner) (ports.Record, error) {
				u, err := scanUser(row)
				return ports.Record{Key: u.ID, User: u}, err
			},
			values: func(r ports.Record) ([]any, error) {
				u := r.User
				prof, err := profileJSON(u)
				return []any{u.ID, u.Number, u.Version, u.Login, u.Email, u.Phone, toUS(u.CreatedAt), toMS(u.UpdatedAt), prof, telegramCol(u.TelegramID)}, err
			}},
		ports.CollUserNumbers: {name: "user_numbers", key: "number", from: intFrom, cols: "number, user_id",
			scan: func(row scanner) (ports.Record, error) {
				var n ports.UserNumber
				err := row.Scan(&n.Number, &n.UserID)
				return ports.Record{Key: strconv.FormatInt(n.Number, 10), Number: n}, err
			},
			values: func(r ports.Record) ([]any, error) { return []any{r.Number.Number, r.Number.UserID}, nil }},
		ports.CollFamilies: {name: "session_families", key: "id", cols: familyCols,
			scan: func(row scanner) (ports.Record, error) {
				f, err := scanFamily(row)
				return ports.Record{Key: f.ID, Family: f}, err
			},
			values: func(r ports.Record) ([]any, error) {
				f := r.Family
				return []any{f.ID, f.UserID, f.DeviceID, f.Audience, toMS(f.CreatedAt), toMS(f.ExpiresAt), toMS(f.RevokedAt),
					f.Reason, f.Kind, f.TokenHash, toMS(f.LastUsedAt)}, nil
			}},
		ports.CollRefreshTokens: {name: "refresh_tokens", key: "hash", cols: refreshCols,
			scan: func(row scanner) (ports.Record, error) {
				t, err := scanRefresh(row)
				return ports.Record{Key: t.Hash, Refresh: t}, err
			},
			values: func(r ports.Record) ([]any, error) {
				t := r.Refresh
				return []any{t.Hash, t.FamilyID, t.UserID, t.Seq, toMS(t.IssuedAt), toMS(t.ExpiresAt)}, nil
			}},
		ports.CollRefreshUses: {name: "refresh_uses", key: "hash", cols: "hash, user_id, used_at",
			scan: func(row scanner) (ports.Record, error) {
				var (
					r  ports.Record
					at sql.NullInt64
				)
				err := row.Scan(&r.Key, &r.Use.UserID, &at)
				r.Use.At = fromMS(at)
				return r, err
			},
			values: func(r ports.Record) ([]any, error) { return []any{r.Key, r.Use.UserID, toMS(r.Use.At)}, nil }},
		ports.CollDevices: {name: "devices", key: "id", cols: deviceCols,
			scan: func(row scanner) (ports.Record, error) {
				d, err := scanDevice(row)
				return ports.Record{Key: d.ID, Device: d}, err
			},
			values: func(r ports.Record) ([]any, error) {
				d := r.Device
				return []any{d.ID, d.UserID, d.Name, d.UserAgent, d.IP, toMS(d.CreatedAt), toMS(d.LastSeen)}, nil
			}},
		ports.CollSigningKeys: {name: "signing_keys", key: "id", cols: keyCols,
			scan: func(row scanner) (ports.Record, error) {
				k, err := scanKey(row)
				return ports.Record{Key: k.ID, SigningKey: k}, err
			},
			values: func(r ports.Record) ([]any, error) {
				k := r.SigningKey
				return []any{k.ID, k.Algorithm, k.Generation, k.PrivatePEM, k.PublicPEM, toMS(k.CreatedAt), toMS(k.RetiredAt), toMS(k.NotAfter)}, nil
			}},
		ports.CollChallenges: {name: "challenges", key: "id", cols: challengeCols,
			scan: func(row scanner) (ports.Record, error) {
				c, err := scanChallenge(row)
				return ports.Record{Key: c.ID, Challenge: c}, err
			},
			values: func(r ports.Record) ([]any, error) {
				c := r.Challenge
				return []any{c.ID, string(c.Purpose), c.UserID, c.Target, toMS(c.CreatedAt), toMS(c.ExpiresAt), c.MaxAttempts}, nil
			}},
		ports.CollChallengeUses: {name: "challenge_uses", key: "id", cols: "id, expires_at",
			scan: func(row scanner) (ports.Record, error) {
				var (
					r       ports.Record
					expires sql.NullInt64
				)
				err := row.Scan(&r.Key, &expires)
				r.Use.ExpiresAt = fromMS(expires)
				return r, err
			},
			values: func(r ports.Record) ([]any, error) { return []any{r.Key, toMS(r.Use.ExpiresAt)}, nil }},
		ports.CollLinks: {name: "links", rows: linkRows, key: "id", cols: linkCols,
			scan: func(row scanner) (ports.Record, error) {
				l, err := scanLink(row)
				return ports.Record{Key: l.ID, Link: l}, err
			},
			put: putLink},
	}
}

// putLink writes a link and its count over the rows with its ID, or adds
// them.
func putLink(ctx context.Context, tx *sql.Tx, r ports.Record) error {
	l := r.Link
	_, err := tx.ExecContext(ctx, `INSERT INTO links (`+linkRowCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET alias = excluded.alias, target = excluded.target, owner_id = excluded.owner_id,
		created_at = excluded.created_at, updated_at = excluded.updated_at, expires_at = excluded.expires_at,
		max_redirects = excluded.max_redirects`,
		l.ID, l.Alias, l.Target, l.OwnerID, toMS(l.CreatedAt), toMS(l.UpdatedAt), toMS(l.ExpiresAt), l.MaxRedirects)
	if col, ok := uniqueOn(err); ok {
		if taken, ok := takenError(col); ok {
			return taken
		}
		return ports.KeyTaken(ports.CollLinks, r.Key, col, err)
	}
	if err != nil {
		return dbErr("put links", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO link_redirects (id, redirects) VALUES (?, ?)
		ON CONFLICT (id) DO UPDATE SET redirects = excluded.redirects`, l.ID, l.Redirects); err != nil {
		return dbErr("put link_redirects", err)
	}
	return nil
}
