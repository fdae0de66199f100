package app

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// BenchmarkConcurrentLogins drives 64 logins at once through the whole
// service (HTTP, throttling, argon2id at the default parameters through the
// bounded pool) and reports the process's peak resident memory. Target:
// ≤ 256 MiB. Run it alone (-run '^$') so no earlier test inflates the peak.
func BenchmarkConcurrentLogins(b *testing.B) {
	svc := startService(b, "GATEHOUSE_STORAGE_DRIVER=memory")
	const creds = `{"username":"mem@example.com","password":"a long passphrase"}`
	if code := svc.call(b, "POST", "/v1/user", `{"login":"mem@example.com","password":"a long passphrase"}`, nil, nil); code != 201 {
		b.Fatalf("register: %d", code)
	}
	resetPeakRSS(b)
	b.ResetTimer()
	for range b.N {
		var wg sync.WaitGroup
		for range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if code := svc.call(b, "POST", "/v1/auth/login", creds, nil, nil); code != 200 {
					b.Errorf("login: %d", code)
				}
			}()
		}
		wg.Wait()
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*64)/b.Elapsed().Seconds(), "logins/s")
	b.ReportMetric(peakRSSMiB(b), "peak-RSS-MiB")
}

// resetPeakRSS starts the kernel's peak-RSS count afresh (Linux).
func resetPeakRSS(tb testing.TB) {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		tb.Logf("cannot reset the peak RSS (%v): the figure includes start-up", err)
	}
}

// peakRSSMiB reads VmHWM, the process's peak resident memory.
func peakRSSMiB(tb testing.TB) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		tb.Skipf("no /proc/self/status: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err != nil {
				tb.Fatalf("VmHWM %q: %v", rest, err)
			}
			return kb / 1024
		}
	}
	tb.Skip("no VmHWM in /proc/self/status")
	return 0
}
