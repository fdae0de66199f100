package app

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// floodConns is how many connections BenchmarkLoginFlood opens at once.
const floodConns = 1000

// BenchmarkLoginFlood opens 1,000 connections at once, each signing in
// through contract 003 as a different unknown user from a different
// address (a distributed flood: no per-address budget helps), against the
// whole service on each storage driver. Every login costs a dummy argon2id
// verify, far more than the machine can do in time, so admission control
// must answer the excess at once with 503 and Retry-After.
//
// It reports the process's peak resident memory (client included; target
// ≤ 256 MiB), how many connections got each status and how many were
// dropped unanswered (target 0), and the time to answer (p50, p99, max;
// target: all within the server's write timeout). Run it alone, one
// iteration per flood:
//
//	go test ./app -run '^$' -bench LoginFlood -benchtime 1x
func BenchmarkLoginFlood(b *testing.B) {
	for _, driver := range []string{"memory", "sqlite", "mongo"} {
		b.Run("storage="+driver, func(b *testing.B) {
			svc := startService(b, "GATEHOUSE_STORAGE_DRIVER="+driver, "GATEHOUSE_DATA_DIR="+b.TempDir(),
				"GATEHOUSE_HTTP_TRUST_PROXY=true")
			addr := strings.TrimPrefix(svc.base, "http://")
			runtime.GC()
			debug.FreeOSMemory()
			resetPeakRSS(b)
			startRSS := peakRSSMiB(b)
			var tally floodTally
			var next atomic.Int64
			b.ResetTimer()
			for range b.N {
				flood(b, addr, &next, &tally)
			}
			b.StopTimer()
			tally.report(b)
			b.ReportMetric(startRSS, "start-RSS-MiB")
			b.ReportMetric(peakRSSMiB(b), "peak-RSS-MiB")
		})
	}
}

// flood sends floodConns logins at once, each on its own connection, and
// waits for every answer or drop.
func flood(b *testing.B, addr string, next *atomic.Int64, tally *floodTally) {
	b.Helper()
	var dialed, wg sync.WaitGroup
	start := make(chan struct{})
	dialed.Add(floodConns)
	for range floodConns {
		n := next.Add(1)
		wg.Go(func() {
			conn, err := net.Dial("tcp", addr)
			dialed.Done()
			if err != nil {
				b.Error(err)
				return
			}
			defer conn.Close()
			<-start
			tally.add(floodLogin(conn, n))
		})
	}
	dialed.Wait()
	close(start)
	wg.Wait()
}

// floodAnswer is what one connection of the flood got.
type floodAnswer struct {
	status     int // 0: dropped unanswered
	retryAfter string
	took       time.Duration
}

// floodLogin signs in as the n-th unknown user from the n-th address and
// reads the answer, waiting longer than the server's write timeout so that
// a dropped connection shows as dropped rather than as a client timeout.
func floodLogin(conn net.Conn, n int64) floodAnswer {
	body := fmt.Sprintf(`{"username":"flood-%d@example.com","password":"not the password %d"}`, n, n)
	req := fmt.Sprintf("POST /v1/auth/login HTTP/1.1\r\nHost: gatehouse\r\nContent-Type: application/json\r\n"+
		"X-Forwarded-For: 10.%d.%d.%d\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
		byte(n>>16), byte(n>>8), byte(n), len(body), body)
	begin := time.Now()
	_ = conn.SetDeadline(begin.Add(40 * time.Second))
	if _, err := conn.Write([]byte(req)); err != nil {
		return floodAnswer{took: time.Since(begin)}
	}
	resp, err := http.ReadResponse(bufio.NewReaderSize(conn, 1024), nil)
	if err != nil {
		return floodAnswer{took: time.Since(begin)}
	}
	_ = resp.Body.Close()
	return floodAnswer{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After"), took: time.Since(begin)}
}

// floodTally gathers the answers of every flood of one benchmark.
type floodTally struct {
	mu      sync.Mutex
	status  map[int]int
	noRetry int // 429 and 503 without Retry-After
	took    []time.Duration
}

func (t *floodTally) add(a floodAnswer) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.status == nil {
		t.status = map[int]int{}
	}
	t.status[a.status]++
	if (a.status == http.StatusTooManyRequests || a.status == http.StatusServiceUnavailable) && a.retryAfter == "" {
		t.noRetry++
	}
	if a.status != 0 {
		t.took = append(t.took, a.took)
	}
}

func (t *floodTally) report(b *testing.B) {
	b.Helper()
	t.mu.Lock()
	defer t.mu.Unlock()
	other := 0
	for code, n := range t.status {
		switch code {
		case 0, 200, 401, 403, 429, 503:
		default:
			other += n
		}
	}
	for _, m := range []struct {
		code int
		unit string
	}{{200, "200s"}, {401, "401s"}, {403, "403s"}, {429, "429s"}, {503, "503s"}, {0, "dropped"}} {
		b.ReportMetric(float64(t.status[m.code]), m.unit)
	}
	b.ReportMetric(float64(other), "other-status")
	if t.noRetry > 0 {
		b.Errorf("%d answers of 429 or 503 without Retry-After", t.noRetry)
	}
	if len(t.took) == 0 {
		return
	}
	slices.Sort(t.took)
	at := func(q float64) float64 {
		return float64(t.took[int(q*float64(len(t.took)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.5), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(at(1), "max-ms")
}
