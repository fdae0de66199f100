package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"go.uber.org/fx"

	"gatehouse/adapters/httpapi"
	"gatehouse/adapters/memstore"
	"gatehouse/adapters/mongostore"
	"gatehouse/adapters/mongostore/embedded"
	"gatehouse/config"
	"gatehouse/ports"
)

// storageModule provides the stores from cfg.Storage.Driver.
func storageModule(cfg config.Config) fx.Option {
	switch cfg.Storage.Driver {
	case "memory":
		return fx.Module("memstore",
			fx.Provide(
				fx.Annotate(memstore.NewUserStore, fx.As(new(ports.UserStore))),
				fx.Annotate(memstore.NewSessionStore, fx.As(new(ports.SessionStore))),
				fx.Annotate(memstore.NewKeyStore, fx.As(new(ports.KeyStore))),
				fx.Annotate(memstore.NewChallengeStore, fx.As(new(ports.ChallengeStore))),
				fx.Annotate(memstore.NewLinkStore, fx.As(new(ports.LinkStore))),
			),
		)
	case "mongo":
		return fx.Module("mongostore",
			fx.Provide(
				newMongoClient,
				fx.Annotate(mongostore.NewUserStore, fx.As(new(ports.UserStore))),
				fx.Annotate(mongostore.NewSessionStore, fx.As(new(ports.SessionStore))),
				fx.Annotate(mongostore.NewKeyStore, fx.As(new(ports.KeyStore))),
				fx.Annotate(mongostore.NewChallengeStore, fx.As(new(ports.ChallengeStore))),
				fx.Annotate(mongostore.NewLinkStore, fx.As(new(ports.LinkStore))),
				fx.Annotate(mongoCheck, fx.ResultTags(`group:"ready"`)),
			),
		)
	default:
		return choiceError("storage.driver", cfg.Storage.Driver, "mongo or memory")
	}
}

// startTimeout bounds how long a dependency may take to come up.
const startTimeout = 30 * time.Second

// newMongoClient connects to cfg.Mongo.URI, or starts the embedded server in
// cfg.DataDir and connects to it. The client and the server stop with the app.
func newMongoClient(lc fx.Lifecycle, cfg config.Config, mode mode, log *slog.Logger) (*mongostore.Client, error) {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	uri, serialize := cfg.Mongo.URI, false
	var srv *embedded.Server
	if uri == "" && mode == commandMode {
		// A command run beside the service uses the service's server.
		if running, ok := embedded.Running(cfg.DataDir); ok {
			uri, serialize = running, true
		}
	}
	if uri == "" {
		var err error
		srv, err = embedded.Start(ctx, embedded.Options{Dir: cfg.DataDir, Logger: log.With("component", "embedded-mongo")})
		if err != nil {
			return nil, err
		}
		lc.Append(fx.StopHook(srv.Stop))
		uri, serialize = srv.URI(), true
		log.Info("embedded database started", "dir", cfg.DataDir)
	}
	client, err := mongostore.Connect(ctx, mongostore.Options{URI: uri, Database: cfg.Mongo.Database, Serialize: serialize})
	if err != nil {
		// fx runs no stop hook when a constructor fails: stop what started.
		stopErr := stopEmbedded(srv)
		return nil, errors.Join(err, stopErr)
	}
	lc.Append(fx.StopHook(client.Close))
	return client, nil
}

func stopEmbedded(srv *embedded.Server) error {
	if srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	return srv.Stop(ctx)
}

func mongoCheck(c *mongostore.Client) httpapi.Check {
	return httpapi.Check{Name: "storage", Ping: c.Ping}
}
