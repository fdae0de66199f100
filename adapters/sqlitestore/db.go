// Package sqlitestore keeps gatehouse's users, sessions, signing keys,
// one-time challenges and short links in one SQLite file, through
// modernc.org/sqlite (pure Go, no cgo). It is the zero-install default:
// every lookup on a request path is a hit on an index of its own table, so
// its cost does not grow with the data.
//
// Writes go through one connection (a database/sql pool of one) whose
// transactions begin IMMEDIATE, so every read-modify-write is either one
// conditional statement or one transaction that holds the write lock from
// its first statement: no in-process locks are needed, and another process
// on the same file (a `gatehouse user` command beside the service) waits
// for the lock up to Options.BusyTimeout. Reads go through a pool of
// read-only connections, which WAL lets run beside the writer.
//
// The schema is versioned by an ordered list of migrations in this package
// (migrations.go), applied at Start in one IMMEDIATE transaction and
// recorded in PRAGMA user_version. A list in the package rather than a
// migration library: the schema is a dozen tables that only this package
// reads, the migrations must run inside the binary with nothing installed,
// and user_version under the write lock already gives what a library's
// bookkeeping table would (applied once, in order, even when two processes
// start together), without another dependency.
//
// Every SQLite failure that is not a domain outcome (not found, a unique
// key taken) is fault.Unavailable storage.unavailable: a full disk, a
// read-only file or a database locked for longer than the busy timeout
// answers 503, and the store recovers once the cause is gone.
package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// FileName is the database file's name in a data directory.
const FileName = "gatehouse.db"

// defaultBusyTimeout is how long a statement waits for another
// connection's lock when Options.BusyTimeout is zero.
const defaultBusyTimeout = 5 * time.Second

// Options configure a DB.
type Options struct {
	// Path is the database file; its directory is created at Start.
	Path string
	// BusyTimeout bounds the wait for a lock held by another connection
	// or process; 5s when zero.
	BusyTimeout time.Duration
	// Readers is the size of the read pool; max(4, GOMAXPROCS) when zero.
	Readers int
}

// DB is one SQLite database shared by the stores made from it.
type DB struct {
	path    string
	busy    time.Duration
	readers int
	w       *sql.DB // one connection: every write
	r       *sql.DB // read-only connections
}

// New checks o and returns a DB that is not open yet: it touches no file
// until Start.
func New(o Options) (*DB, error) {
	if o.Path == "" {
		return nil, errors.New("sqlitestore: new: path is empty")
	}
	path, err := filepath.Abs(o.Path)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: new: path %q: %w", o.Path, err)
	}
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = defaultBusyTimeout
	}
	if o.Readers <= 0 {
		o.Readers = max(4, runtime.GOMAXPROCS(0))
	}
	return &DB{path: path, busy: o.BusyTimeout, readers: o.Readers}, nil
}

// Open is New followed by Start.
func Open(ctx context.Context, o Options) (*DB, error) {
	db, err := New(o)
	if err != nil {
		return nil, err
	}
	if err := db.Start(ctx); err != nil {
		return nil, err
	}
	return db, nil
}

// Path returns the database file's absolute path.
func (db *DB) Path() string { return db.path }

// Start creates the file's directory, opens both pools and applies the
// migrations this binary knows. A failed Start leaves nothing open.
func (db *DB) Start(ctx context.Context) error {
	if err := os.MkdirAll(filepath.Dir(db.path), 0o700); err != nil {
		return fmt.Errorf("sqlitestore: create directory: %w", err)
	}
	w, err := sql.Open("sqlite", db.dsn(false))
	if err != nil {
		return fmt.Errorf("sqlitestore: open writer: %w", err)
	}
	// One connection, kept for good: per-connection settings stay put and
	// writes queue in the pool instead of contending for the file lock.
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := migrate(ctx, w); err != nil {
		return errors.Join(err, w.Close())
	}
	r, err := sql.Open("sqlite", db.dsn(true))
	if err != nil {
		return errors.Join(fmt.Errorf("sqlitestore: open readers: %w", err), w.Close())
	}
	r.SetMaxOpenConns(db.readers)
	r.SetMaxIdleConns(db.readers)
	db.w, db.r = w, r
	return nil
}

// dsn is the connection string of the writer or of a reader. WAL lets
// readers run beside the writer; synchronous=NORMAL in WAL mode keeps the
// database consistent through a crash and loses at most the last
// transactions on a power cut, not on a process kill.
func (db *DB) dsn(reader bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", db.busy.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(ON)")
	if reader {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + db.path + "?" + q.Encode()
}

// Close closes both pools.
func (db *DB) Close() error {
	if db.w == nil {
		return nil
	}
	err := errors.Join(db.r.Close(), db.w.Close())
	db.w, db.r = nil, nil
	if err != nil {
		return fmt.Errorf("sqlitestore: close: %w", err)
	}
	return nil
}

// Ping returns nil when the database answers a read.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.r.PingContext(ctx); err != nil {
		return dbErr("ping", err)
	}
	return nil
}

// Probe is the readiness check: a real write (one row of table health), so
// a database that can be read but not written (a full disk, a read-only
// file, a lock held too long) reports fault.Unavailable.
func (db *DB) Probe(ctx context.Context) error {
	_, err := db.w.ExecContext(ctx,
		`INSERT INTO health (id, checked_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`,
		time.Now().UnixMilli())
	if err != nil {
		return dbErr("probe", err)
	}
	return nil
}

// Backup writes a consistent copy of the database to path with VACUUM
// INTO, while the stores go on serving: it reads one snapshot through a
// reader connection and never holds the write lock. path must not exist.
func (db *DB) Backup(ctx context.Context, path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("sqlitestore: backup to %q: %w", path, err)
	}
	if _, err := os.Stat(abs); err == nil {
		return fmt.Errorf("sqlitestore: backup to %s: the file exists", abs)
	}
	// A reader is query_only, which refuses VACUUM INTO; the snapshot is
	// read on a connection of its own.
	c, err := sql.Open("sqlite", "file:"+db.path+"?_pragma="+url.QueryEscape(fmt.Sprintf("busy_timeout(%d)", db.busy.Milliseconds())))
	if err != nil {
		return fmt.Errorf("sqlitestore: backup: %w", err)
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, `VACUUM INTO ?`, abs); err != nil {
		return dbErr("backup to "+abs, err)
	}
	return nil
}

// Check runs PRAGMA integrity_check and returns nil when SQLite finds the
// file sound, else an error carrying what it found.
func (db *DB) Check(ctx context.Context) error {
	var res string
	if err := db.r.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return dbErr("integrity check", err)
	}
	if res != "ok" {
		return fmt.Errorf("sqlitestore: integrity check of %s: %s", db.path, res)
	}
	return nil
}

// write runs fn in one IMMEDIATE transaction of the writer, committed when
// fn returns nil and rolled back otherwise; op names the step in errors.
func (db *DB) write(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return dbErr(op+": begin", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return dbErr(op+": commit", err)
	}
	return nil
}
