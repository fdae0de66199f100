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
	// Header, when set, is sent with every request of client c.
	Header func(c int) http.Header
	// Next, when set, replaces Paths: it returns client c's next request,
	// given the body and status of its previous answer (nil and 0 at
	// first), so a client can chain requests (refresh rotation). After the
	// run it is called once more with the last answer and its request is
	// not sent, so the client's state reflects every answer it got.
	Next func(c int, prevStatus int, prevBody []byte) (*http.Request, error)
}

// Result is what one run measured.
type Result struct {
	Requests  int64
	OK        int64 // 2xx answers
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
	return fmt.Sprintf("%9.0f req/s  p50 %7s  p99 %7s  max %7s  (%d requests: %d 2xx, %d 3xx, %d other, %d errors)",
		r.RPS(), round(r.P50), round(r.P99), round(r.Max), r.Requests, r.OK, r.Redirects, r.Others, r.Errors)
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
	if o.Clients < 1 || o.Duration <= 0 || (len(o.Paths) == 0 && o.Next == nil) || o.BaseURL == "" {
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
		go func(w *worker, c int) {
			defer wg.Done()
			w.run(runCtx, client, o, c)
		}(&workers[i], i)
	}
	wg.Wait()
	res := Result{Elapsed: time.Since(start)}
	var all []time.Duration
	for _, w := range workers {
		res.Requests += w.requests
		res.OK += w.ok
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
	requests, ok, redirects, others, errors int64
	latencies                               []time.Duration
}

// run is client c's loop until ctx ends.
func (w *worker) run(ctx context.Context, client *http.Client, o Options, c int) {
	w.latencies = make([]time.Duration, 0, 1<<16)
	var (
		status int
		body   []byte
	)
	offset := 0
	if len(o.Paths) > 0 {
		offset = c * len(o.Paths) / o.Clients
	}
	for i := offset; ctx.Err() == nil; i++ {
		// The request itself is not bound to ctx: one cut off in flight
		// could be served but not counted, and the run checks exact counts.
		var (
			req *http.Request
			err error
		)
		if o.Next != nil {
			req, err = o.Next(c, status, body)
		} else {
			req, err = http.NewRequest(http.MethodGet, o.BaseURL+o.Paths[i%len(o.Paths)], nil)
		}
		if err != nil {
			w.errors++
			continue
		}
		if o.Header != nil {
			for k, v := range o.Header(c) {
				req.Header[k] = v
			}
		}
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			w.errors++
			status, body = 0, nil
			continue
		}
		if o.Next != nil {
			body, err = io.ReadAll(resp.Body)
		} else {
			_, err = io.Copy(io.Discard, resp.Body)
		}
		_ = resp.Body.Close()
		w.latencies = append(w.latencies, time.Since(t0))
		w.requests++
		status = resp.StatusCode
		switch {
		case err != nil:
			w.errors++
		case status >= 200 && status < 300:
			w.ok++
		case status >= 300 && status < 400:
			w.redirects++
		default:
			w.others++
		}
	}
	if o.Next != nil && status != 0 {
		_, _ = o.Next(c, status, body)
	}
}
