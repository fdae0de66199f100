package linksvc_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

// benchLinks is how many links the benchmarks spread lookups over.
const benchLinks = 1024

// BenchmarkResolve measures the warm hot path: every alias is in the
// local cache, so a redirect is a local lookup and an atomic count.
// Compare it with BenchmarkMapBaseline, run in the same invocation.
func BenchmarkResolve(b *testing.B) {
	w := newWorld(b)
	s := w.replicaWith(b, rand.Reader, wallClock{})
	aliases := make([]string, benchLinks)
	for i := range aliases {
		aliases[i] = create(b, s, "u1", fmt.Sprint("https://example.com/", i), fmt.Sprintf("bench-%04d", i)).Alias
		resolve(b, s, aliases[i])
	}
	var next atomic.Uint32
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := int(next.Add(7919))
		ctx := context.Background()
		for pb.Next() {
			i++
			if _, err := s.Resolve(ctx, aliases[i%benchLinks]); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkMapBaseline is the floor a redirect lookup could reach: a map
// behind one RWMutex and an atomic counter per entry.
func BenchmarkMapBaseline(b *testing.B) {
	type entry struct {
		target string
		count  atomic.Int64
	}
	var mu sync.RWMutex
	m := map[string]*entry{}
	aliases := make([]string, benchLinks)
	for i := range aliases {
		aliases[i] = fmt.Sprintf("bench-%04d", i)
		m[aliases[i]] = &entry{target: fmt.Sprint("https://example.com/", i)}
	}
	var next atomic.Uint32
	var sink atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := int(next.Add(7919))
		n := 0
		for pb.Next() {
			i++
			mu.RLock()
			e := m[aliases[i%benchLinks]]
			mu.RUnlock()
			e.count.Add(1)
			n += len(e.target)
		}
		sink.Add(int64(n))
	})
}
