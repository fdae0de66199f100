package sessionsvc_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

// BenchmarkVerifyOpaque is the opaque-token check a request pays with a warm
// cache on memstore: shape, hash, the cached record and the deny-list. It
// reports x-bare against the floor of any cache-first check: hashing the
// token and one cache read.
func BenchmarkVerifyOpaque(b *testing.B) {
	ctx := context.Background()
	e := newEnv(b, "EdDSA")
	// Other sessions' records and revocations fill the cache, as in production.
	for range 1000 {
		other := e.startOpaque(b, e.svc, "other")
		if err := e.svc.EndSession(ctx, other.SessionID); err != nil {
			b.Fatal(err)
		}
		e.startOpaque(b, e.svc, "other")
	}
	tok := e.startOpaque(b, e.svc, "u1").Token
	verify := func() bool {
		_, err := e.svc.VerifyOpaque(ctx, tok)
		return err == nil
	}
	bare := func() bool {
		sum := sha256.Sum256([]byte(tok))
		_, ok, err := e.cache.Get(ctx, "sessions:opaque:"+hex.EncodeToString(sum[:]))
		return ok && err == nil
	}
	b.ReportAllocs()
	for b.Loop() {
		if !verify() {
			b.Fatal("verify failed")
		}
	}
	reportRatio(b, verify, bare)
}

// BenchmarkVerifyOpaqueParallel checks one token from every goroutine.
func BenchmarkVerifyOpaqueParallel(b *testing.B) {
	e := newEnv(b, "EdDSA")
	tok := e.startOpaque(b, e.svc, "u1").Token
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := e.svc.VerifyOpaque(context.Background(), tok); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
