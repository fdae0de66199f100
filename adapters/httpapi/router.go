package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"gatehouse/ports"
)

// Mounter is implemented by each frontend: Mount adds its routes to r. Each
// frontend gets a router of its own, so the order mounters arrive in (an fx
// value group has none) never decides which route serves a request.
type Mounter interface {
	Mount(r *mux.Router)
}

// ErrorOwner is implemented by a frontend whose contract has an error shape
// of its own: a request on one of its PathPrefixes that no route serves
// (404, or 405 for a known path) is answered in that shape, not the
// generic one. The longest matching prefix wins.
type ErrorOwner interface {
	ErrorShape() ErrorShape
	PathPrefixes() []string
}

// MounterFunc adapts a function to Mounter.
type MounterFunc func(r *mux.Router)

// Mount calls f.
func (f MounterFunc) Mount(r *mux.Router) { f(r) }

// Check is one readiness check run by /readyz, such as "storage" or "cache".
type Check struct {
	Name string
	Ping func(ctx context.Context) error
	// Every, when set, runs Ping at most once per interval; /readyz repeats
	// the last result in between. For checks that write (a storage probe),
	// so frequent probes by a load balancer cost the storage nothing.
	Every time.Duration
}

// Deps are what the router serves besides the options.
type Deps struct {
	// Log receives the access log and errors; nil discards.
	Log *slog.Logger
	// Metrics records every request and backs /metrics; nil turns both off.
	Metrics *Metrics
	// Signer backs /.well-known/jwks.json; nil leaves it out.
	Signer ports.TokenSigner
	// Mounts are the frontends.
	Mounts []Mounter
	// Checks are run by /readyz.
	Checks []Check
}

// NewRouter returns the handler of the whole HTTP surface: the operational
// endpoints, every frontend's routes and the shared middleware around them.
//
// A request goes to the most specific route that matches it, whichever
// frontend owns it: a static segment beats a variable one (/status before
// /{alias}). Two frontends serving the same path and method is a
// configuration error, reported here so prefixes in config can resolve it.
func NewRouter(o Options, d Deps) (http.Handler, error) {
	o = o.withDefaults()
	log := d.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ops := &opsRoutes{signer: d.Signer, checks: readyChecks(d.Checks), timeout: o.ReadyTimeout}
	if o.AdminAddr == "" {
		ops.metrics = d.Metrics
	}
	routers := make([]*mux.Router, 0, len(d.Mounts)+1)
	for _, m := range append([]Mounter{ops}, d.Mounts...) {
		r := mux.NewRouter()
		m.Mount(r)
		routers = append(routers, r)
	}
	t, err := newTable(routers, ownersOf(d.Mounts))
	if err != nil {
		return nil, err
	}
	co, err := newCrossOrigin(o.TrustedOrigins)
	if err != nil {
		return nil, err
	}
	var access *accessFormat
	if h, ok := log.Handler().(contextHandler); ok {
		access = h.access
	}
	return &middleware{opts: o, log: log, access: access, metrics: d.Metrics, crossOrigin: co, next: t}, nil
}

// ConflictError is what NewRouter returns when two frontends claim one
// route and method.
type ConflictError struct {
	Route  string
	Method string
}

// Error implements error.
func (e *ConflictError) Error() string {
	return fmt.Sprintf("httpapi: route %s %s is mounted by two frontends; give one of them a prefix", e.Method, e.Route)
}
