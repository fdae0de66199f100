package app

import (
	"log/slog"
	"net/http"
	"net/url"
	"slices"

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
		startPeriodic,
		// What only a serving process runs besides the server.
		fx.Annotate(revocationFeed, fx.ResultTags(`group:"periodic"`)),
	),
	fx.Invoke(func(*httpapi.Server) {}, newAdminServer),
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
		MaxHeaderBytes:    cfg.MaxHeaderBytes,
		AdminAddr:         cfg.AdminAddr,
		TrustedOrigins:    cfg.TrustedOrigins,
		TrustProxy:        cfg.TrustProxy,
	}
}

func newRouter(cfg config.Config, log *slog.Logger, metrics *httpapi.Metrics, signer ports.TokenSigner, mounts []httpapi.Mounter, checks []httpapi.Check) (http.Handler, error) {
	o := httpOptions(cfg.HTTP)
	if u, err := url.Parse(cfg.PublicURL); err == nil && u.Host != "" {
		// Behind a proxy the Host a request names may not be the public
		// one; pages served under the public URL are gatehouse's own.
		o.TrustedOrigins = append(slices.Clone(o.TrustedOrigins), u.Scheme+"://"+u.Host)
	}
	return httpapi.NewRouter(o, httpapi.Deps{
		Log:     log,
		Metrics: metrics,
		Signer:  signer,
		Mounts:  mounts,
		Checks:  checks,
	})
}

// newAdminServer serves /metrics and /debug/pprof on http.admin_addr, when
// one is set.
func newAdminServer(lc fx.Lifecycle, cfg config.Config, log *slog.Logger, metrics *httpapi.Metrics) {
	if cfg.HTTP.AdminAddr == "" {
		return
	}
	o := httpOptions(cfg.HTTP)
	o.Addr = cfg.HTTP.AdminAddr
	srv := httpapi.NewServer(o, log.With("listener", "admin"), httpapi.AdminHandler(metrics))
	lc.Append(fx.StartStopHook(srv.Start, srv.Stop))
}

// newServer listens when the app starts, after every dependency is up, and
// drains in-flight requests when it stops.
func newServer(lc fx.Lifecycle, cfg config.Config, log *slog.Logger, h http.Handler, _ periodicStarted) *httpapi.Server {
	srv := httpapi.NewServer(httpOptions(cfg.HTTP), log, h)
	lc.Append(fx.StartStopHook(srv.Start, srv.Stop))
	return srv
}
