package identity

import (
	"testing"
	"time"
)

// BenchmarkDecodeList is the cost the first password check of a process
// pays once: decompressing and indexing the embedded list.
func BenchmarkDecodeList(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeList(breachedList); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIsCommon is the lookup every later check pays: all the forms of
// a password searched in the list. x-map compares it with looking the same
// forms up in a Go map of the whole list (fast, but several times the
// memory and start cost).
func BenchmarkIsCommon(b *testing.B) {
	set, err := breachedSet()
	if err != nil {
		b.Fatal(err)
	}
	m := make(map[string]struct{}, set.len())
	for i := range set.len() {
		m[set.entry(i)] = struct{}{}
	}
	for _, pw := range []string{"Summer2024!", "P@ssword1", "correct horse battery", "Xq7vLm2pZ"} {
		b.Run(pw, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := isCommon(pw); err != nil {
					b.Fatal(err)
				}
			}
			reportRatio(b, func() bool {
				common, _ := isCommon(pw)
				return common
			}, func() bool {
				for _, f := range commonForms(pw) {
					if _, ok := m[f]; ok {
						return true
					}
				}
				return false
			})
		})
	}
}

// reportRatio reports how much slower full is than bare, as "x-map". The
// two are timed in alternating small batches and the fastest batch of each
// is compared: on a shared machine interference only adds time, so the
// minimum is the figure least disturbed by it.
func reportRatio(b *testing.B, full, bare func() bool) {
	b.Helper()
	b.StopTimer()
	const rounds, batch = 2000, 20
	fullMin, bareMin := time.Duration(1<<62), time.Duration(1<<62)
	for range rounds {
		t0 := time.Now()
		for range batch {
			full()
		}
		t1 := time.Now()
		for range batch {
			bare()
		}
		fullMin, bareMin = min(fullMin, t1.Sub(t0)), min(bareMin, time.Since(t1))
	}
	b.ReportMetric(float64(fullMin)/float64(bareMin), "x-map")
}

// BenchmarkPasswordPolicyCheck is the whole policy, handles included.
func BenchmarkPasswordPolicyCheck(b *testing.B) {
	p := DefaultPasswordPolicy()
	b.ReportAllocs()
	for b.Loop() {
		_ = p.Check("correct horse battery", "danila_g", "danila@example.com")
	}
}
