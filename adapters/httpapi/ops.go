package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/mux"

	"gatehouse/core/fault"
	"gatehouse/ports"
)

// opsRoutes are the operational endpoints, which belong to no frontend.
type opsRoutes struct {
	metrics *Metrics
	signer  ports.TokenSigner
	checks  []*readyCheck
	timeout time.Duration
}

// readyCheck is a Check with its last result, for Check.Every.
type readyCheck struct {
	Check
	mu     sync.Mutex
	at     time.Time
	result string
}

func readyChecks(cs []Check) []*readyCheck {
	out := make([]*readyCheck, len(cs))
	for i, c := range cs {
		out[i] = &readyCheck{Check: c}
	}
	return out
}

// Mount implements Mounter.
func (o *opsRoutes) Mount(r *mux.Router) {
	r.HandleFunc("/healthz", o.healthz).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/readyz", o.readyz).Methods(http.MethodGet, http.MethodHead)
	if o.metrics != nil {
		r.Handle("/metrics", o.metrics.handler()).Methods(http.MethodGet)
	}
	if o.signer != nil {
		r.HandleFunc("/.well-known/jwks.json", o.jwks).Methods(http.MethodGet, http.MethodHead)
	}
}

// healthz answers whenever the process serves HTTP at all.
func (o *opsRoutes) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readiness is the body of /readyz.
type readiness struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
}

// readyz runs every check at once, each with its own deadline, and answers
// 503 naming each failing part with a short reason. Raw errors go to the
// log only: they may hold addresses or credentials.
func (o *opsRoutes) readyz(w http.ResponseWriter, r *http.Request) {
	body := readiness{Status: "ready", Checks: make(map[string]string, len(o.checks))}
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	for _, c := range o.checks {
		wg.Go(func() {
			result := o.check(r.Context(), c)
			mu.Lock()
			defer mu.Unlock()
			body.Checks[c.Name] = result
			if result != "ok" {
				body.Status = "unready"
			}
		})
	}
	wg.Wait()
	status := http.StatusOK
	if body.Status != "ready" {
		status = http.StatusServiceUnavailable
	}
	w.Header().Set("Cache-Control", "no-store")
	WriteJSON(w, status, body)
}

// check runs one check, or repeats its last result while Every has not
// passed, and returns "ok", "timeout" or "unavailable". Concurrent probes
// of one check wait for a single run.
func (o *opsRoutes) check(ctx context.Context, c *readyCheck) string {
	if c.Every <= 0 {
		return o.run(ctx, c.Check)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && time.Since(c.at) < c.Every {
		return c.result
	}
	c.result, c.at = o.run(ctx, c.Check), time.Now()
	return c.result
}

// run runs one check and returns "ok", "timeout" or "unavailable".
func (o *opsRoutes) run(ctx context.Context, c Check) string {
	if c.Ping == nil {
		return "unavailable"
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	err := c.Ping(ctx)
	if err == nil {
		return "ok"
	}
	Logger(ctx).LogAttrs(ctx, slog.LevelWarn, "readiness check failed",
		slog.String("check", c.Name), slog.Any("err", err))
	if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
		return "timeout"
	}
	return "unavailable"
}

// jwks serves the keys that verify access tokens. Caches may keep it for
// five minutes.
func (o *opsRoutes) jwks(w http.ResponseWriter, r *http.Request) {
	set, err := o.signer.JWKS(r.Context())
	if err != nil {
		Logger(r.Context()).LogAttrs(r.Context(), slog.LevelError, "jwks failed", slog.Any("err", err))
		WriteError(w, r, fault.Wrap(err, fault.Unavailable, "http.jwks_unavailable", "Keys are unavailable; try again."))
		return
	}
	w.Header().Set("Content-Type", "application/jwk-set+json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(set)
}
