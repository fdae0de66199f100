package app

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"

	"go.uber.org/fx"

	"gatehouse/adapters/httpapi"
	"gatehouse/adapters/sqlitestore"
	"gatehouse/config"
)

// newSQLite prepares the SQLite database of cfg; it opens (and migrates)
// when the app starts and closes when it stops. A command beside the
// service opens the same file: SQLite's locks let both write.
func newSQLite(lc fx.Lifecycle, cfg config.Config, log *slog.Logger) (*sqlitestore.DB, error) {
	db, err := sqlitestore.New(sqlitestore.Options{Path: cfg.SQLitePath(), BusyTimeout: cfg.Storage.SQLite.BusyTimeout})
	if err != nil {
		return nil, err
	}
	lc.Append(fx.Hook{
		OnStart: func(ctx context.Context) error {
			if err := db.Start(ctx); err != nil {
				return err
			}
			log.Info("sqlite storage opened", "path", db.Path())
			warnLegacyData(ctx, cfg, db, log)
			return nil
		},
		OnStop: func(context.Context) error { return db.Close() },
	})
	return db, nil
}

// warnLegacyData names the embedded MongoDB-wire database an earlier
// gatehouse kept in the data dir, and the command that moves it, while the
// SQLite database holds no account yet: that data is not served until it
// is copied, and must not be abandoned silently.
func warnLegacyData(ctx context.Context, cfg config.Config, db *sqlitestore.DB, log *slog.Logger) {
	legacy := filepath.Join(cfg.DataDir, cfg.Mongo.Database+".sqlite") // FerretDB's file of the database
	if _, err := os.Stat(legacy); err != nil {
		return
	}
	users, err := sqlitestore.NewUserStore(db).List(ctx, 0, 1)
	if err != nil || len(users) > 0 {
		return
	}
	dir, _ := filepath.Abs(cfg.DataDir)
	log.Warn("the data dir holds the embedded MongoDB-wire database of an earlier gatehouse, which is not served: "+
		"storage is now SQLite. Stop the service and move the data with the command below, or set storage.driver: mongo to keep it where it is",
		"dir", dir, "file", filepath.Base(legacy),
		"command", "gatehouse storage copy --from mongo --to sqlite")
}

// sqliteCheck is the readiness check of SQLite: a write, since a database
// that answers reads may refuse writes (a full disk, a read-only file).
func sqliteCheck(db *sqlitestore.DB) httpapi.Check {
	return httpapi.Check{Name: "storage", Ping: db.Probe, Every: storageProbeEvery}
}
