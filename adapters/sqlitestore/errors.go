package sqlitestore

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"gatehouse/core/fault"
)

// dbErr wraps a SQLite failure that is not a domain outcome with what was
// being done, as fault.Unavailable: a full disk, a read-only file or a lock
// held past the busy timeout is a storage outage, not a bug.
func dbErr(op string, err error) error {
	return fault.Wrap(fmt.Errorf("sqlitestore: %s: %w", op, err), fault.Unavailable, "storage.unavailable", "Storage is unavailable.")
}

// uniqueOn reports whether err is a unique or primary key violation and,
// if so, which table.column it names ("users.email"). SQLite names the
// first column of the index in its message.
func uniqueOn(err error) (string, bool) {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return "", false
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
	default:
		return "", false
	}
	msg := se.Error()
	col := msg[strings.LastIndex(msg, "failed: ")+len("failed: "):]
	col, _, _ = strings.Cut(col, ",")
	col, _, _ = strings.Cut(col, " ")
	return col, true
}

// noRows reports whether a single-row read found nothing.
func noRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// toMS is t as stored: Unix milliseconds, NULL when zero.
func toMS(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

// fromMS is the inverse of toMS, in UTC.
func fromMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64).UTC()
}

// toUS is t as stored where microseconds count: Unix microseconds, NULL
// when zero.
func toUS(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMicro(), Valid: true}
}

// fromUS is the inverse of toUS, in UTC.
func fromUS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMicro(v.Int64).UTC()
}

// boundMS is the least stored time at or after t: a finer t rounds up, so
// "at or after t" means the same of stored values as of t itself.
func boundMS(t time.Time) int64 {
	ms := t.UnixMilli()
	if time.UnixMilli(ms).Before(t) {
		ms++
	}
	return ms
}
