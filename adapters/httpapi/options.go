// Package httpapi is the HTTP base every gatehouse frontend shares: the
// router frontends mount their routes on, the middleware every request
// passes (request id, access log, metrics, panic recovery, body limit), the
// operational endpoints (/healthz, /readyz, /metrics, /.well-known/jwks.json),
// JSON helpers and the server with its lifecycle.
//
// It knows no contract: each frontend lives in a subpackage and implements
// Mounter.
package httpapi

import "time"

// Options tunes the server and the shared middleware. Zero values take the
// defaults listed on each field.
type Options struct {
	// Addr is the listen address; default ":8080". "127.0.0.1:0" picks a free port.
	Addr string
	// ReadHeaderTimeout bounds reading request headers; default 5s.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request; default 15s.
	ReadTimeout time.Duration
	// WriteTimeout bounds writing a response; default 30s.
	WriteTimeout time.Duration
	// IdleTimeout bounds keep-alive idleness; default 120s.
	IdleTimeout time.Duration
	// ShutdownTimeout bounds draining in-flight requests on Stop; default 15s.
	ShutdownTimeout time.Duration
	// ReadyTimeout bounds each readiness check; default 2s.
	ReadyTimeout time.Duration
	// MaxBodyBytes caps every request body; default 1 MiB.
	MaxBodyBytes int64
	// MaxHeaderBytes caps the request line and headers together; default
	// 32 KiB. Beyond it the server answers 431.
	MaxHeaderBytes int
	// AdminAddr, when set, is where AdminHandler is served (see app); the
	// public router then leaves /metrics out.
	AdminAddr string
	// TrustedOrigins are origins besides the service's own (the host a
	// request names) whose pages may send state-changing requests that
	// carry gatehouse's cookies, such as the product's web front
	// ("https://app.example.com"). See CredentialCookie.
	TrustedOrigins []string
	// TrustProxy makes ClientIP read X-Forwarded-For (the address the
	// nearest proxy saw). Enable it only behind a proxy that sets the header,
	// since clients can forge it.
	TrustProxy bool
}

// The defaults Options falls back to.
const (
	DefaultAddr              = ":8080"
	DefaultReadHeaderTimeout = 5 * time.Second
	DefaultReadTimeout       = 15 * time.Second
	DefaultWriteTimeout      = 30 * time.Second
	DefaultIdleTimeout       = 120 * time.Second
	DefaultShutdownTimeout   = 15 * time.Second
	DefaultReadyTimeout      = 2 * time.Second
	DefaultMaxBodyBytes      = 1 << 20
	DefaultMaxHeaderBytes    = 32 << 10
)

// withDefaults returns o with every zero field set to its default.
func (o Options) withDefaults() Options {
	if o.Addr == "" {
		o.Addr = DefaultAddr
	}
	setDuration(&o.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	setDuration(&o.ReadTimeout, DefaultReadTimeout)
	setDuration(&o.WriteTimeout, DefaultWriteTimeout)
	setDuration(&o.IdleTimeout, DefaultIdleTimeout)
	setDuration(&o.ShutdownTimeout, DefaultShutdownTimeout)
	setDuration(&o.ReadyTimeout, DefaultReadyTimeout)
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.MaxHeaderBytes <= 0 {
		o.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	return o
}

func setDuration(d *time.Duration, def time.Duration) {
	if *d <= 0 {
		*d = def
	}
}
