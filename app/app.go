// Package app is gatehouse's composition root: it maps config onto each
// adapter's options and chooses, before fx builds the graph, which adapter
// implements each port.
package app

import (
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"go.uber.org/fx"
	"go.uber.org/fx/fxevent"

	"gatehouse/config"
	"gatehouse/ports"
)

// Build names the binary being run, for /status and the logs.
type Build struct {
	Version string
	Commit  string
}

// mode says whether the app serves or runs one command beside a service.
type mode int

const (
	serveMode mode = iota
	commandMode
)

// Options returns the fx options of the whole service for cfg. Unknown
// choices become fx.Error, so fx.New reports them before anything starts.
func Options(cfg config.Config, build Build, log *slog.Logger) []fx.Option {
	return append(contexts(cfg, build, log, serveMode),
		httpModule,
		frontendsModule(cfg),
		telegramServeModule(cfg),
	)
}

// CommandOptions returns the fx options of the use cases without any
// frontend, for commands such as `gatehouse user`. On the embedded database
// it joins a service already running on the same data dir.
func CommandOptions(cfg config.Config, build Build, log *slog.Logger) []fx.Option {
	return contexts(cfg, build, log, commandMode)
}

func contexts(cfg config.Config, build Build, log *slog.Logger, m mode) []fx.Option {
	return []fx.Option{
		fx.WithLogger(func() fxevent.Logger {
			l := &fxevent.SlogLogger{Logger: log}
			l.UseLogLevel(slog.LevelDebug)
			// A failed start is reported once, by whoever ran the app;
			// fx's own lines about it would say the same thing thrice.
			l.UseErrorLevel(slog.LevelDebug)
			return l
		}),
		fx.Supply(cfg, build, log, m),
		baseModule,
		storageModule(cfg),
		cacheModule(cfg),
		userCacheModule(m),
		tokensModule,
		notifyModule(cfg),
		captchaModule(cfg),
		deliveryModule(cfg),
		identityModule,
		passwordlessModule,
		sessionsModule,
		linksModule(m),
		vpnModule,
		telegramModule(cfg),
	}
}

// baseModule provides what every context shares: time, randomness, metrics.
var baseModule = fx.Module("base",
	fx.Provide(
		func() ports.Clock { return systemClock{} },
		func() io.Reader { return rand.Reader },
		newRegistry,
	),
)

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

func choiceError(key, got, want string) fx.Option {
	return fx.Error(fmt.Errorf("%s %q: want %s", key, got, want))
}
