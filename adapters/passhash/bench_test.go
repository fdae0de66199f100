package passhash_test

import (
	"bufio"
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gatehouse/adapters/passhash"
)

func BenchmarkHash(b *testing.B) {
	h := newHasher(b, passhash.Options{})
	ctx := context.Background()
	for b.Loop() {
		if _, err := h.Hash(ctx, "correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	h := newHasher(b, passhash.Options{})
	ctx := context.Background()
	hash, err := h.Hash(ctx, "correct horse battery staple")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if ok, _, err := h.Verify(ctx, hash, "correct horse battery staple"); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkVerify64Concurrent is 64 logins arriving at once. Each op is
// one burst of 64 verifies. It reports the process's peak resident memory
// (VmHWM, reset at the start where the kernel allows) and the Go runtime's
// heap and total memory obtained from the OS. The target is ≤ 256 MiB
// resident at the default options (slots = NumCPU); the other sub-benchmarks
// show how the figure grows with the pool, since each slot holds
// Options.Memory while it computes.
func BenchmarkVerify64Concurrent(b *testing.B) {
	for _, slots := range []int{0, 4, 6, 8} {
		name := "slots=" + strconv.Itoa(slots)
		if slots == 0 {
			name = "slots=default"
		}
		b.Run(name, func(b *testing.B) { benchmarkBurst(b, 64, slots) })
	}
}

func benchmarkBurst(b *testing.B, logins, slots int) {
	h := newHasher(b, passhash.Options{Concurrency: slots})
	ctx := context.Background()
	hash, err := h.Hash(ctx, "correct horse battery staple")
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	debug.FreeOSMemory()
	// Writing 5 resets VmHWM to the current RSS (Linux 4.0+); where it
	// fails the figure still bounds the burst from above.
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	for b.Loop() {
		var wg sync.WaitGroup
		for range logins {
			wg.Go(func() {
				if ok, _, err := h.Verify(ctx, hash, "correct horse battery staple"); err != nil || !ok {
					b.Error(ok, err)
				}
			})
		}
		wg.Wait()
	}

	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	const mib = 1 << 20
	b.ReportMetric(float64(after.HeapSys)/mib, "heapsys-MiB")
	b.ReportMetric(float64(after.Sys)/mib, "sys-MiB")
	if hwm, ok := vmHWM(b); ok {
		b.ReportMetric(float64(hwm)/mib, "vmhwm-MiB")
	}
}

// vmHWM returns the process's peak resident set size in bytes from
// /proc/self/status, where there is one.
func vmHWM(tb testing.TB) (uint64, bool) {
	tb.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		v, ok := strings.CutPrefix(sc.Text(), "VmHWM:")
		if !ok {
			continue
		}
		kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
		if err != nil {
			tb.Fatalf("VmHWM %q: %v", v, err)
		}
		return kb * 1024, true
	}
	return 0, false
}
