package httpapi

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// RouteUnmatched labels requests no route matched, so scanners probing
// random paths cannot blow up the label set.
const RouteUnmatched = "unmatched"

// Metrics holds the HTTP collectors, registered on a registry the app owns.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	errors   *prometheus.CounterVec
	// children caches the collectors of each route, method and status seen,
	// so a request costs one map read instead of hashing its labels twice.
	// Labels are bounded (templates, known methods, statuses), so is it.
	children sync.Map // childKey -> *child
}

// childKey names one route's collectors for one method and status.
type childKey struct {
	route, method string
	status        int
}

// child is the collectors childKey names.
type child struct {
	requests prometheus.Counter
	duration prometheus.Observer
}

// NewMetrics registers http_requests_total{route,method,status} and
// http_request_duration_seconds{route,method} on reg. Routes are templates,
// never raw paths.
func NewMetrics(reg *prometheus.Registry) (*Metrics, error) {
	m := &Metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_requests_total",
			Help: "HTTP requests served, by route template, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "http_request_duration_seconds",
			Help:    "Time to serve HTTP requests, by route template and method.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "method"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_errors_total",
			Help: "Error answers by fault reason and status: refresh reuse, throttling and bad credentials are security signals.",
		}, []string{"reason", "status"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.duration, m.errors} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("httpapi: register metrics: %w", err)
		}
	}
	return m, nil
}

// observe records one served request, and its fault reason when it
// answered an error.
func (m *Metrics) observe(route, method string, status int, reason string, d time.Duration) {
	key := childKey{route: route, method: metricMethod(method), status: status}
	c, ok := m.children.Load(key)
	if !ok {
		c, _ = m.children.LoadOrStore(key, &child{
			requests: m.requests.WithLabelValues(key.route, key.method, strconv.Itoa(status)),
			duration: m.duration.WithLabelValues(key.route, key.method),
		})
	}
	c.(*child).requests.Inc()
	c.(*child).duration.Observe(d.Seconds())
	if reason != "" {
		m.errors.WithLabelValues(reason, strconv.Itoa(status)).Inc()
	}
}

// handler serves the registry in the Prometheus exposition format.
func (m *Metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// metricMethod keeps the method label bounded: anything non-standard is "other".
func metricMethod(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return method
	default:
		return "other"
	}
}
