package sqlitestore

import (
	"context"
	"database/sql"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"gatehouse/ports"
)

// Archive reads and writes the whole database for `gatehouse storage copy`.
// Every table is a collection but health, the readiness probe's one row,
// which each probe writes anew; sqlite_sequence is CollSequences.
type Archive struct {
	db *DB
}

var _ ports.Archive = (*Archive)(nil)

// NewArchive returns the archive of db.
func NewArchive(db *DB) *Archive { return &Archive{db: db} }

// scanner is a row to scan: *sql.Row or *sql.Rows.
type scanner = interface{ Scan(...any) error }

// table maps one collection onto its table.
type table struct {
	name string
	// rows is what Count and Scan read, when more than name: a join, whose
	// other tables put writes as well.
	rows   string
	key    string                            // the primary key's columns, in its order
	from   func(after string) ([]any, error) // the key's values to Scan after; nil: after itself
	cols   string                            // every column, key first
	scan   func(row scanner) (ports.Record, error)
	values func(r ports.Record) ([]any, error) // in cols' order
	// put writes one record; nil: insert it, or write it over the row
	// with its key.
	put func(ctx context.Context, tx *sql.Tx, r ports.Record) error
}

// tables describes every collection's table.
func tables() map[ports.Collection]table {
	ts := identityTables()
	maps.Copy(ts, vpnTables())
	return ts
}

func tableOf(c ports.Collection) (table, error) {
	t, ok := tables()[c]
	if !ok {
		return table{}, ports.CollectionUnknown(c)
	}
	return t, nil
}

// intFrom reads an integer key; "" is before every one.
func intFrom(after string) ([]any, error) {
	if after == "" {
		return []any{int64(math.MinInt64)}, nil
	}
	n, err := strconv.ParseInt(after, 10, 64)
	return []any{n}, err
}

// Count implements ports.Archive.
func (a *Archive) Count(ctx context.Context, c ports.Collection) (int64, error) {
	t, err := tableOf(c)
	if err != nil {
		return 0, err
	}
	var n int64
	if err := a.db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t.source()).Scan(&n); err != nil {
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
	from := []any{after}
	if t.from != nil {
		if from, err = t.from(after); err != nil {
			return nil, ports.KeyInvalid(c, after, err)
		}
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(from)), ", ")
	rows, err := a.db.r.QueryContext(ctx,
		`SELECT `+t.cols+` FROM `+t.source()+` WHERE (`+t.key+`) > (`+marks+`) ORDER BY `+t.key+` LIMIT ?`, append(from, limit)...)
	if err != nil {
		return nil, dbErr("scan "+t.name, err)
	}
	return collect(rows, t.scan, "scan "+t.name)
}

// Put implements ports.Archive in one transaction: each record is inserted
// or, when its key is stored, written over; other unique keys (a user's
// handles, a link's alias, a live VPN key's slot) still refuse a record
// that would share them.
func (a *Archive) Put(ctx context.Context, c ports.Collection, rs []ports.Record) error {
	t, err := tableOf(c)
	if err != nil {
		return err
	}
	put := t.put
	if put == nil {
		put = t.upsert(c)
	}
	return a.db.write(ctx, "put "+t.name, func(tx *sql.Tx) error {
		for _, r := range rs {
			if err := put(ctx, tx, r); err != nil {
				return err
			}
		}
		return nil
	})
}

// source is what Count and Scan read.
func (t table) source() string {
	if t.rows != "" {
		return t.rows
	}
	return t.name
}

// upsert returns the put that inserts a record or writes it over the row
// with its key.
func (t table) upsert(c ports.Collection) func(ctx context.Context, tx *sql.Tx, r ports.Record) error {
	cols, keys := strings.Split(t.cols, ", "), strings.Split(t.key, ", ")
	var set []string
	for _, col := range cols {
		if !slices.Contains(keys, col) {
			set = append(set, col+" = excluded."+col)
		}
	}
	q := `INSERT INTO ` + t.name + ` (` + t.cols + `) VALUES (?` + strings.Repeat(", ?", len(cols)-1) + `)
		ON CONFLICT (` + t.key + `) DO UPDATE SET ` + strings.Join(set, ", ")
	return func(ctx context.Context, tx *sql.Tx, r ports.Record) error {
		vals, err := t.values(r)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, q, vals...)
		if col, ok := uniqueOn(err); ok {
			if taken, ok := takenError(col); ok {
				return taken
			}
			return ports.KeyTaken(c, r.Key, col, err)
		}
		if err != nil {
			return dbErr("put "+t.name, err)
		}
		return nil
	}
}
