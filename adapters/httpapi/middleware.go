package httpapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"gatehouse/core/fault"
)

// middleware wraps every request, outermost first: request id and logger,
// access log and metrics, panic recovery, body limit.
type middleware struct {
	opts        Options
	log         *slog.Logger
	access      *accessFormat // writes access lines log's handler would; nil: the handler does
	metrics     *Metrics
	crossOrigin *http.CrossOriginProtection
	next        http.Handler
}

// ServeHTTP implements http.Handler.
func (m *middleware) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := requestID(r.Header.Get(HeaderRequestID))
	info := &requestInfo{
		id:       id,
		clientIP: clientIP(r, m.opts.TrustProxy),
		base:     m.log,

		crossOrigin: m.crossOrigin,
	}
	// Set with the canonical key directly: Set would canonicalise
	// HeaderRequestID's spelling on every request.
	w.Header()[headerRequestIDKey] = []string{id}
	rec := &info.rec
	rec.ResponseWriter = w
	outer := r.Context()
	r = r.WithContext(withInfo(outer, info))

	m.serve(rec, r)

	route := info.route
	if route == "" {
		route = RouteUnmatched
	}
	status := rec.statusOr(http.StatusOK)
	elapsed := time.Since(start)
	if m.metrics != nil {
		m.metrics.observe(route, r.Method, status, info.reason, elapsed)
	}
	// The route template, never the raw path: paths may carry codes and
	// tokens (/v1/user/confirm/{code}) that must not reach the logs. The
	// line is logged here rather than through a logger made for the request
	// (an allocation each) or LogAttrs (a stack walk for the caller, which
	// the line does not show): the request id goes on it directly, and the
	// outer context carries none, so NewLogHandler adds it no second time.
	if h := m.log.Handler(); h.Enabled(outer, slog.LevelInfo) {
		line := accessLine{at: start.Add(elapsed), id: id, method: r.Method, route: route,
			status: status, bytes: rec.bytes, duration: elapsed}
		if m.access == nil || !m.access.write(line) {
			_ = h.Handle(outer, line.record())
		}
	}
}

// serve runs the inner handler with the body limit and panic recovery.
func (m *middleware) serve(rec *recorder, r *http.Request) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if isAbort(v) {
			panic(v)
		}
		Logger(r.Context()).LogAttrs(r.Context(), slog.LevelError, "panic serving request",
			slog.String("panic", fmt.Sprint(v)),
			slog.String("stack", string(debug.Stack())),
		)
		if !rec.written() {
			writeStatus(rec, http.StatusInternalServerError, fault.Internal, "Internal error.")
		}
	}()
	// The underlying writer, not rec: net/http then closes the connection
	// after an oversized body instead of reading the rest of it. A request
	// without a body (every GET and HEAD) needs no limit.
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = http.MaxBytesReader(rec.ResponseWriter, r.Body, m.opts.MaxBodyBytes)
	}
	m.next.ServeHTTP(rec, r)
}
