package app

import (
	"log/slog"
	"net/http"

	"go.uber.org/fx"

	"gatehouse/adapters/httpapi"
	"gatehouse/config"
	"gatehouse/ports"
)

// httpModule provides the HTTP server every frontend is mounted on. Frontends
// join through the "mounts" value group, readiness checks through "ready".
var httpModule = fx.Module("httpapi",
	fx.Provide(
		httpapi.NewMetrics,
		fx.Annotate(newRouter, fx.ParamTags(``, ``, ``, ``, `group:"mounts"`, `group:"ready"`)),
		newServer,
	),
	fx.Invoke(func(*httpapi.Server) {}),
)

func httpOptions(cfg config.HTTP) httpapi.Options {
	return httpapi.Options{
		Addr:              cfg.Addr,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		ShutdownTimeout:   cfg.ShutdownTimeout,
		MaxBodyBytes:      cfg.MaxBodyBytes,
		TrustProxy:        cfg.TrustProxy,
	}
}

func newRouter(cfg config.Config, log *slog.Logger, metrics *httpapi.Metrics, signer ports.TokenSigner, mounts []httpapi.Mounter, checks []httpapi.Check) (http.Handler, error) {
	return httpapi.NewRouter(httpOptions(cfg.HTTP), httpapi.Deps{
		Log:     log,
		Metrics: metrics,
		Signer:  signer,
		Mounts:  mounts,
		Checks:  checks,
	})
}

// newServer listens when the app starts, after every dependency is up, and
// drains in-flight requests when it stops.
func newServer(lc fx.Lifecycle, cfg config.Config, log *slog.Logger, h http.Handler) *httpapi.Server {
	srv := httpapi.NewServer(httpOptions(cfg.HTTP), log, h)
	lc.Append(fx.StartStopHook(srv.Start, srv.Stop))
	return srv
}
