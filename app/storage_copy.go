package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"gatehouse/adapters/mongostore"
	"gatehouse/adapters/mongostore/embedded"
	"gatehouse/adapters/sqlitestore"
	"gatehouse/config"
	"gatehouse/ports"
)

// copyBatch is how many records one Put of a copy carries.
const copyBatch = 500

// OpenArchive opens the database a `gatehouse storage` command names:
// "sqlite" (cfg's file), "sqlite:<path>", "mongo" (cfg's mongo.uri, or the
// embedded server in cfg's data dir, the running service's when there is
// one) or a mongodb:// URI. closeFn releases it.
func OpenArchive(ctx context.Context, cfg config.Config, spec string, log *slog.Logger) (a ports.Archive, closeFn func(context.Context) error, err error) {
	switch {
	case spec == "sqlite" || strings.HasPrefix(spec, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(spec, "sqlite"), ":")
		if path == "" {
			path = cfg.SQLitePath()
		}
		db, err := sqlitestore.Open(ctx, sqlitestore.Options{Path: path, BusyTimeout: cfg.Storage.SQLite.BusyTimeout})
		if err != nil {
			return nil, nil, err
		}
		return sqlitestore.NewArchive(db), func(context.Context) error { return db.Close() }, nil
	case spec == "mongo" || strings.HasPrefix(spec, "mongodb://") || strings.HasPrefix(spec, "mongodb+srv://"):
		return openMongoArchive(ctx, cfg, spec, log)
	default:
		return nil, nil, fmt.Errorf("store %q: want sqlite, sqlite:<path>, mongo or a mongodb:// URI", spec)
	}
}

func openMongoArchive(ctx context.Context, cfg config.Config, spec string, log *slog.Logger) (ports.Archive, func(context.Context) error, error) {
	uri, serialize := spec, false
	stop := func(context.Context) error { return nil }
	if spec == "mongo" {
		uri = cfg.Mongo.URI
	}
	if uri == "" {
		serialize = true
		srv, err := embedded.New(embedded.Options{Dir: cfg.DataDir, Logger: log})
		if err != nil {
			return nil, nil, err
		}
		if _, running := embedded.Running(cfg.DataDir); !running {
			if err := srv.Start(ctx); err != nil {
				return nil, nil, err
			}
			stop = srv.Stop
		}
		uri = srv.URI()
	}
	c, err := mongostore.Connect(ctx, mongostore.Options{URI: uri, Database: cfg.Mongo.Database, Serialize: serialize})
	if err != nil {
		return nil, nil, errors.Join(err, stop(context.WithoutCancel(ctx)))
	}
	return mongostore.NewArchive(c), func(ctx context.Context) error { return errors.Join(c.Close(ctx), stop(ctx)) }, nil
}

// CopyStorage copies every collection of from into to, in batches, and
// then checks that each collection holds as many records in both. Records
// are written over by key, so copying again changes nothing and a copy cut
// short is finished by running it again. It reports progress to out.
func CopyStorage(ctx context.Context, from, to ports.Archive, out io.Writer) error {
	for _, c := range ports.Collections() {
		n, after := 0, ""
		for {
			rs, err := from.Scan(ctx, c, after, copyBatch)
			if err != nil {
				return fmt.Errorf("copy %s: read: %w", c, err)
			}
			if len(rs) == 0 {
				break
			}
			if err := to.Put(ctx, c, rs); err != nil {
				return fmt.Errorf("copy %s: write after key %q: %w", c, after, err)
			}
			n += len(rs)
			after = rs[len(rs)-1].Key
		}
		fmt.Fprintf(out, "%-18s %d copied\n", c, n)
	}
	var errs []error
	for _, c := range ports.Collections() {
		src, err := from.Count(ctx, c)
		if err != nil {
			return fmt.Errorf("count %s: %w", c, err)
		}
		dst, err := to.Count(ctx, c)
		if err != nil {
			return fmt.Errorf("count %s: %w", c, err)
		}
		if src != dst {
			errs = append(errs, fmt.Errorf("%s: %d in the source, %d in the destination", c, src, dst))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("counts differ (was the destination written meanwhile, or not empty?):\n%w", err)
	}
	fmt.Fprintln(out, "counts match in every collection")
	return nil
}

// BackupSQLite writes a consistent copy of cfg's SQLite database to path
// while the service may go on serving, and checks the copy's integrity.
func BackupSQLite(ctx context.Context, cfg config.Config, path string) error {
	if _, err := os.Stat(cfg.SQLitePath()); err != nil {
		return fmt.Errorf("backup: the SQLite database: %w", err)
	}
	db, err := sqlitestore.Open(ctx, sqlitestore.Options{Path: cfg.SQLitePath(), BusyTimeout: cfg.Storage.SQLite.BusyTimeout})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, path); err != nil {
		return err
	}
	copied, err := sqlitestore.Open(ctx, sqlitestore.Options{Path: path})
	if err != nil {
		return err
	}
	return errors.Join(copied.Check(ctx), copied.Close())
}
