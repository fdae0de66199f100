package app

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// BenchmarkRestoreTiming measures contract 003's password restore through
// the whole service on the default storage, for emails that have an
// account and emails that do not, interleaved in random order so drift on
// a busy machine touches both alike. It reports the median and the 90th
// percentile of each kind in milliseconds; known and unknown must match.
// Each iteration sends one of each, so run it with a fixed count:
//
//	go test ./app -run '^$' -bench RestoreTiming -benchtime 200x
func BenchmarkRestoreTiming(b *testing.B) {
	svc := startService(b, "GATEHOUSE_DATA_DIR="+b.TempDir(), "GATEHOUSE_DEV=true", "GATEHOUSE_HTTP_TRUST_PROXY=true")
	// Each client address and each email has a reset budget per hour
	// (30 and 10): every request comes from its own address, and each
	// account serves a few requests only.
	const perAccount = 5
	accounts := (b.N + perAccount - 1) / perAccount
	for i := range accounts {
		body := fmt.Sprintf(`{"login":"known%d@example.com","password":"a long passphrase"}`, i)
		if code := svc.call(b, "POST", "/v1/user", body, fakeClient(i), nil); code != 201 {
			b.Fatalf("register %d: %d", i, code)
		}
	}
	restore := func(n int, email string) time.Duration {
		start := time.Now()
		code := svc.call(b, "POST", "/v1/user/password/restore", `{"email":"`+email+`"}`, fakeClient(n), nil)
		d := time.Since(start)
		if code != 200 {
			b.Fatalf("restore %s: %d", email, code)
		}
		return d
	}
	known := make([]time.Duration, 0, b.N)
	unknown := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		k := func() { known = append(known, restore(2*i, fmt.Sprintf("known%d@example.com", i/perAccount))) }
		u := func() { unknown = append(unknown, restore(2*i+1, fmt.Sprintf("nobody%d@example.com", i))) }
		if rand.IntN(2) == 0 {
			k()
			u()
		} else {
			u()
			k()
		}
	}
	b.StopTimer()
	for _, kind := range []struct {
		name string
		d    []time.Duration
	}{{"known", known}, {"unknown", unknown}} {
		b.ReportMetric(quantileMs(kind.d, 0.5), kind.name+"-p50-ms")
		b.ReportMetric(quantileMs(kind.d, 0.9), kind.name+"-p90-ms")
	}
}

// fakeClient makes the n-th request look like it comes from its own
// address (the service trusts the proxy header in this benchmark).
func fakeClient(n int) map[string]string {
	return map[string]string{"X-Forwarded-For": fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255)}
}

// quantileMs returns the q-quantile of d (nearest rank) in milliseconds.
func quantileMs(d []time.Duration, q float64) float64 {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := min(int(q*float64(len(s))), len(s)-1)
	return float64(s[i]) / float64(time.Millisecond)
}
