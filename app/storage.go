package app

import (
	"context"
	"log/slog"
	"time"

	"go.uber.org/fx"

	"gatehouse/adapters/httpapi"
	"gatehouse/adapters/memstore"
	"gatehouse/adapters/mongostore"
	"gatehouse/adapters/mongostore/embedded"
	"gatehouse/adapters/sqlitestore"
	"gatehouse/config"
	"gatehouse/ports"
)

// storageModule provides the stores from cfg.Storage.Driver.
func storageModule(cfg config.Config) fx.Option {
	switch cfg.StorageDriver() {
	case "sqlite":
		return fx.Module("sqlitestore",
			fx.Provide(
				newSQLite,
				fx.Annotate(sqlitestore.NewUserStore, fx.As(new(ports.UserStore))),
				fx.Annotate(sqlitestore.NewSessionStore, fx.As(new(ports.SessionStore))),
				fx.Annotate(sqlitestore.NewKeyStore, fx.As(new(ports.KeyStore))),
				fx.Annotate(sqlitestore.NewChallengeStore, fx.As(new(ports.ChallengeStore))),
				fx.Annotate(sqlitestore.NewLinkStore, fx.As(new(ports.LinkStore))),
				fx.Annotate(sqlitestore.NewVPNStore, fx.As(new(ports.VPNStore))),
				fx.Annotate(sqliteCheck, fx.ResultTags(`group:"ready"`)),
			),
		)
	case "memory":
		return fx.Module("memstore",
			fx.Provide(
				fx.Annotate(memstore.NewUserStore, fx.As(new(ports.UserStore))),
				fx.Annotate(memstore.NewSessionStore, fx.As(new(ports.SessionStore))),
				fx.Annotate(memstore.NewKeyStore, fx.As(new(ports.KeyStore))),
				fx.Annotate(memstore.NewChallengeStore, fx.As(new(ports.ChallengeStore))),
				fx.Annotate(memstore.NewLinkStore, fx.As(new(ports.LinkStore))),
				fx.Annotate(memstore.NewVPNStore, fx.As(new(ports.VPNStore))),
			),
		)
	case "mongo":
		return fx.Module("mongostore",
			fx.Provide(
				databaseFor(cfg),
				newMongoClient,
				fx.Annotate(mongostore.NewUserStore, fx.As(new(ports.UserStore))),
				fx.Annotate(mongostore.NewSessionStore, fx.As(new(ports.SessionStore))),
				fx.Annotate(mongostore.NewKeyStore, fx.As(new(ports.KeyStore))),
				fx.Annotate(mongostore.NewChallengeStore, fx.As(new(ports.ChallengeStore))),
				fx.Annotate(mongostore.NewLinkStore, fx.As(new(ports.LinkStore))),
				fx.Annotate(mongostore.NewVPNStore, fx.As(new(ports.VPNStore))),
				fx.Annotate(mongoCheck, fx.ResultTags(`group:"ready"`)),
			),
		)
	default:
		return choiceError("storage.driver", cfg.Storage.Driver, "sqlite, mongo or memory")
	}
}

// startTimeout bounds how long a dependency may take to come up.
const startTimeout = 30 * time.Second

// database is where the mongo client connects.
type database struct {
	uri       string
	serialize bool // the embedded server needs its read-modify-write serialized
}

// databaseFor returns the constructor of the database: cfg.Mongo.URI, or
// the embedded server in cfg.DataDir.
func databaseFor(cfg config.Config) any {
	if cfg.Mongo.URI != "" {
		return func() database { return database{uri: cfg.Mongo.URI} }
	}
	return newEmbedded
}

// newEmbedded prepares the embedded server in cfg.DataDir; it starts and
// stops with the app. A command run beside the service uses the service's
// server instead, found at start: both listen on the same socket in the
// data dir, so the client's URI is the same either way.
func newEmbedded(lc fx.Lifecycle, cfg config.Config, m mode, log *slog.Logger) (database, error) {
	srv, err := embedded.New(embedded.Options{Dir: cfg.DataDir, Logger: log.With("component", "embedded-mongo")})
	if err != nil {
		return database{}, err
	}
	lc.Append(fx.Hook{
		OnStart: func(ctx context.Context) error {
			if m == commandMode {
				if _, ok := embedded.Running(cfg.DataDir); ok {
					log.Debug("using the running service's embedded database", "dir", cfg.DataDir)
					return nil
				}
			}
			if err := srv.Start(ctx); err != nil {
				return err
			}
			log.Info("embedded database started", "dir", cfg.DataDir)
			return nil
		},
		// Stop is a no-op when the server did not start (the service's was used).
		OnStop: srv.Stop,
	})
	return database{uri: srv.URI(), serialize: true}, nil
}

// newMongoClient makes the client of db; it connects when the app starts,
// after the embedded server (whose hook was appended first), and closes
// before it. When the client fails to start, fx stops the server again.
func newMongoClient(lc fx.Lifecycle, cfg config.Config, db database) (*mongostore.Client, error) {
	client, err := mongostore.New(mongostore.Options{URI: db.uri, Database: cfg.Mongo.Database, Serialize: db.serialize})
	if err != nil {
		return nil, err
	}
	lc.Append(fx.StartStopHook(client.Start, client.Close))
	return client, nil
}

// storageProbeEvery bounds how often readiness writes to storage.
const storageProbeEvery = 3 * time.Second

// mongoCheck is the readiness check of MongoDB: a write, since a database
// that answers pings may still refuse writes (a full disk).
func mongoCheck(c *mongostore.Client) httpapi.Check {
	return httpapi.Check{Name: "storage", Ping: c.Probe, Every: storageProbeEvery}
}
