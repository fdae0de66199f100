package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gatehouse/core/fault"
	"gatehouse/ports"
)

// Archive reads and writes the whole database for `gatehouse storage copy`.
type Archive struct {
	db *DB
}

var _ ports.Archive = (*Archive)(nil)

// NewArchive returns the archive of db.
func NewArchive(db *DB) *Archive { return &Archive{db: db} }

// table maps one collection onto its table.
type table struct {
	name, key string
	intKey    bool
	cols      string // key first
	scan      func(row interface{ Scan(...any) error }) (ports.Record, error)
	values    func(r ports.Record) ([]any, error) // in cols' order
}

// tables describes every collection's table.
func tables() map[ports.Collection]table {
	return map[ports.Collection]table{
		ports.CollUsers: {name: "users", key: "id", cols: userCols,
			scan: func(row interface{ Scan(...any) error }) (ports.Record, error) {
				u, err := scanUser(row)
				return ports.Record{Key: u.ID, User: u}, err
			},
			values: func(r ports.Record) ([]any, error) {
				u := r.User
				prof, err := profileJSON(u)
				return []any{u.ID, u.Number, u.Version, u.Login, u.Email, u.Phone, toUS(u.CreatedAt), toMS(u.UpdatedAt), prof, telegramCol(u.TelegramID)}, err
			}},
		ports.CollUserNumbers: {name: "user_numbers", key: "number", intKey: true, cols: "number, user_id",
			scan: func(row interface{ Scan(...any) error }) (ports.Record, error) {
				var n ports.UserNumber
				err := row.Scan(&n.Number, &n.UserID)
				return ports.Record{Key: strconv.FormatInt(n.Number, 10), Number: n}, err
			},
			values: func(r ports.Record) ([]any, error) { return []any{r.Number.Number, r.Number.UserID}, nil }},
		ports.CollFamilies: {name: "session_families", key: "id", cols: familyCols,
			scan: func(row interface{ Scan(...any) error }) (ports.Record, error) {
				f, err := scanFamily(row)
				return ports.Record{Key: f.ID, Family: f}, err
			},
			values: func(r ports.Record) ([]any, error) {
				f := r.Family
				return []any{f.ID, f.UserID, f.DeviceID, f.Audience, toMS(f.CreatedAt), toMS(f.ExpiresAt), toMS(f.RevokedAt),
					f.Reason, f.Kind, f.TokenHash, toMS(f.LastUsedAt)}, nil
			}},
		ports.CollRefreshTokens: {name: "refresh_tokens", key: "hash", cols: refreshCols,
			scan: func(row interface{ Scan(...any) error }) (ports.Record, error) {
				t, err := scanRefresh(row)
				return ports.Record{Key: t.Hash, Refresh: t}, err
			},
			values: func(r ports.Record) ([]any, error) {
				t := r.Refresh
				return []any{t.Hash, t.FamilyID, t.UserID, t.Seq, toMS(t.IssuedAt), toMS(t.ExpiresAt)}, nil
			}},
		ports.CollRefreshUses: {name: "refresh_uses", key: "hash", cols: "hash, user_id, used_at",
			scan: func(row interface{ Scan(...any) error }) (ports.Record, error) {
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
			scan: func(row interface{ Scan(...any) error }) (ports.Record, error) {
				d, err := scanDevice(row)
				return ports.Record{Key: d.ID, Device: d}, err
			},
			values: func(r ports.Record) ([]any, error) {
				d := r.Device
				return []any{d.ID, d.UserID, d.Name, d.UserAgent, d.IP, toMS(d.CreatedAt), toMS(d.LastSeen)}, nil
			}},
		ports.CollSigningKeys: {name: "signing_keys", key: "id", cols: keyCols,
			scan: func(row interface{ Scan(...any) error }) (ports.Record, error) {
				k, err := scanKey(row)
				return ports.Record{Key: k.ID, SigningKey: k}, err
			},
			values: func(r ports.Record) ([]any, error) {
				k := r.SigningKey
				return []any{k.ID, k.Algorithm, k.Generation, k.PrivatePEM, k.PublicPEM, toMS(k.CreatedAt), toMS(k.RetiredAt), toMS(k.NotAfter)}, nil
			}},
		ports.CollChallenges: {name: "challenges", key: "id", cols: challengeCols,
			scan: func(row interface{ Scan(...any) error }) (ports.Record, error) {
				c, err := scanChallenge(row)
				return ports.Record{Key: c.ID, Challenge: c}, err
			},
			values: func(r ports.Record) ([]any, error) {
				c := r.Challenge
				return []any{c.ID, string(c.Purpose), c.UserID, c.Target, toMS(c.CreatedAt), toMS(c.ExpiresAt), c.MaxAttempts}, nil
			}},
		ports.CollChallengeUses: {name: "challenge_uses", key: "id", cols: "id, expires_at",
			scan: func(row interface{ Scan(...any) error }) (ports.Record, error) {
				var (
					r       ports.Record
					expires sql.NullInt64
				)
				err := row.Scan(&r.Key, &expires)
				r.Use.ExpiresAt = fromMS(expires)
				return r, err
			},
			values: func(r ports.Record) ([]any, error) { return []any{r.Key, toMS(r.Use.ExpiresAt)}, nil }},
		ports.CollLinks: {name: "links", key: "id", cols: linkCols,
			scan: func(row interface{ Scan(...any) error }) (ports.Record, error) {
				l, err := scanLink(row)
				return ports.Record{Key: l.ID, Link: l}, err
			},
			values: func(r ports.Record) ([]any, error) {
				l := r.Link
				return []any{l.ID, l.Alias, l.Target, l.OwnerID, l.Redirects, toMS(l.CreatedAt), toMS(l.UpdatedAt), toMS(l.ExpiresAt), l.MaxRedirects}, nil
			}},
	}
}

func tableOf(c ports.Collection) (table, error) {
	t, ok := tables()[c]
	if !ok {
		return table{}, fault.New(fault.Invalid, "storage.collection_unknown", fmt.Sprintf("No collection %q.", c))
	}
	return t, nil
}

// Count implements ports.Archive.
func (a *Archive) Count(ctx context.Context, c ports.Collection) (int64, error) {
	t, err := tableOf(c)
	if err != nil {
		return 0, err
	}
	var n int64
	if err := a.db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t.name).Scan(&n); err != nil {
		return 0, dbErr("count "+t.name, err)
	}
	return n, nil
}

// Scan implements ports.Archive, in the order of each table's primary key.
func (a *Archive) Scan(ctx context.Context, c ports.Collection, after string, limit int) ([]ports.Record, error) {
	t, err := tableOf(c)
	if err != nil {
		return nil, err
	}
	var from any = after
	if t.intKey {
		n := int64(math.MinInt64)
		if after != "" {
			if n, err = strconv.ParseInt(after, 10, 64); err != nil {
				return nil, fault.Wrap(err, fault.Invalid, "storage.key_invalid", "A number key is expected.")
			}
		}
		from = n
	}
	rows, err := a.db.r.QueryContext(ctx,
		`SELECT `+t.cols+` FROM `+t.name+` WHERE `+t.key+` > ? ORDER BY `+t.key+` LIMIT ?`, from, limit)
	if err != nil {
		return nil, dbErr("scan "+t.name, err)
	}
	return collect(rows, t.scan, "scan "+t.name)
}

// Put implements ports.Archive in one transaction: each record is inserted
// or, when its key is stored, written over; other unique keys (a user's
// handles, a link's alias) still refuse a record that would share them.
func (a *Archive) Put(ctx context.Context, c ports.Collection, rs []ports.Record) error {
	t, err := tableOf(c)
	if err != nil {
		return err
	}
	cols := strings.Split(t.cols, ", ")
	var set []string
	for _, col := range cols[1:] {
		set = append(set, col+" = excluded."+col)
	}
	q := `INSERT INTO ` + t.name + ` (` + t.cols + `) VALUES (?` + strings.Repeat(", ?", len(cols)-1) + `)
		ON CONFLICT (` + t.key + `) DO UPDATE SET ` + strings.Join(set, ", ")
	tx, err := a.db.w.BeginTx(ctx, nil)
	if err != nil {
		return dbErr("put "+t.name+": begin", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	for _, r := range rs {
		vals, err := t.values(r)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, q, vals...)
		if col, ok := uniqueOn(err); ok {
			if taken, ok := takenError(col); ok {
				return taken
			}
			return fault.Wrap(err, fault.Conflict, "storage.key_taken", fmt.Sprintf("%s %s clashes with a stored record on %s.", c, r.Key, col))
		}
		if err != nil {
			return dbErr("put "+t.name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return dbErr("put "+t.name+": commit", err)
	}
	return nil
}
