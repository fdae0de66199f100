// Package loadgen drives HTTP GETs at a server with concurrent keep-alive
// clients for a fixed time and reports throughput and latency, so a
// handler can be measured against a bare baseline in the same run.
package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Options describe one run.
type Options struct {
	Clients  int           // concurrent keep-alive clients
	Duration time.Duration // how long to drive
	// Paths are requested in turn by every client (each client starts at a
	// different offset so they spread over them).
	Paths []string
	// BaseURL is the server, e.g. http://127.0.0.1:8080.
	BaseURL string
}

// Result is what one run measured.
type Result struct {
	Requests  int64
	Redirects int64 // 3xx answers
	Others    int64 // any other status
	Errors    int64 // transport failures
	Elapsed   time.Duration
	P50, P99  time.Duration
	Max       time.Duration
}

// RPS is requests per second.
func (r Result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// String is one line for a report.
func (r Result) String() string {
	return fmt.Sprintf("%9.0f req/s  p50 %7s  p99 %7s  max %7s  (%d requests, %d redirects, %d other, %d errors)",
		r.RPS(), round(r.P50), round(r.P99), round(r.Max), r.Requests, r.Redirects, r.Others, r.Errors)
}

func round(d time.Duration) time.Duration {
	switch {
	case d > time.Millisecond:
		return d.Round(10 * time.Microsecond)
	default:
		return d.Round(time.Microsecond)
	}
}

// Run drives the server until o.Duration has passed or ctx ends.
func Run(ctx context.Context, o Options) (Result, error) {
	if o.Clients < 1 || o.Duration <= 0 || len(o.Paths) == 0 || o.BaseURL == "" {
		return Result{}, errors.New("loadgen: want clients ≥ 1, a duration, paths and a base URL")
	}
	transport := &http.Transport{
		MaxIdleConns:        o.Clients,
		MaxIdleConnsPerHost: o.Clients,
		MaxConnsPerHost:     o.Clients,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}
	defer transport.CloseIdleConnections()
	client := &http.Client{
		Transport: transport,
		// Redirects are the answer being measured, never followed.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       10 * time.Second,
	}
	runCtx, cancel := context.WithTimeout(ctx, o.Duration)
	defer cancel()

	workers := make([]worker, o.Clients)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range workers {
		wg.Add(1)
		go func(w *worker, offset int) {
			defer wg.Done()
			w.run(runCtx, client, o.BaseURL, o.Paths, offset)
		}(&workers[i], i*len(o.Paths)/o.Clients)
	}
	wg.Wait()
	res := Result{Elapsed: time.Since(start)}
	var all []time.Duration
	for _, w := range workers {
		res.Requests += w.requests
		res.Redirects += w.redirects
		res.Others += w.others
		res.Errors += w.errors
		all = append(all, w.latencies...)
	}
	if len(all) > 0 {
		slices.Sort(all)
		res.P50 = all[len(all)*50/100]
		res.P99 = all[len(all)*99/100]
		res.Max = all[len(all)-1]
	}
	return res, nil
}

type worker struct {
	requests, redirects, others, errors int64
	latencies                           []time.Duration
}

func (w *worker) run(ctx context.Context, client *http.Client, base string, paths []string, offset int) {
	w.latencies = make([]time.Duration, 0, 1<<16)
	for i := offset; ctx.Err() == nil; i++ {
		// The request itself is not bound to ctx: one cut off in flight
		// could be served but not counted, and the run checks exact counts.
		req, err := http.NewRequest(http.MethodGet, base+paths[i%len(paths)], nil)
		if err != nil {
			w.errors++
			continue
		}
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			w.errors++
			continue
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		w.latencies = append(w.latencies, time.Since(t0))
		w.requests++
		if resp.StatusCode >= 300 && resp.StatusCode < 400 {
			w.redirects++
		} else {
			w.others++
		}
	}
}
