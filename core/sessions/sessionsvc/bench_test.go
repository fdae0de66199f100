package sessionsvc_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"gatehouse/ports"
)

// bareVerify returns a check of tok's signature by the bare standard-library
// primitive over the same signing input: the floor Verify is measured against.
func bareVerify(tb testing.TB, e *env, tok string) func() bool {
	tb.Helper()
	p, err := e.signer.PublicKeyPEM(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	blk, _ := pem.Decode(p)
	pub, err := x509.ParsePKIXPublicKey(blk.Bytes)
	if err != nil {
		tb.Fatal(err)
	}
	i := strings.LastIndexByte(tok, '.')
	input := []byte(tok[:i])
	sig, err := base64.RawURLEncoding.DecodeString(tok[i+1:])
	if err != nil {
		tb.Fatal(err)
	}
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return func() bool { return ed25519.Verify(k, input, sig) }
	case *ecdsa.PublicKey:
		r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
		return func() bool {
			h := sha256.Sum256(input)
			return ecdsa.Verify(k, h[:], r, s)
		}
	case *rsa.PublicKey:
		return func() bool {
			h := sha256.Sum256(input)
			return rsa.VerifyPKCS1v15(k, 5, h[:], sig) == nil // 5 is crypto.SHA256
		}
	}
	tb.Fatalf("unexpected key %T", pub)
	return nil
}

// reportRatio reports full's time over bare's as "x-bare", from the fastest
// of many alternating small batches: interference on a shared machine only
// adds time, so the minima are the least disturbed figures.
func reportRatio(b *testing.B, full, bare func() bool) {
	b.Helper()
	b.StopTimer()
	const rounds, batch = 200, 5
	fullMin, bareMin := time.Duration(1<<62), time.Duration(1<<62)
	for range rounds {
		t0 := time.Now()
		for range batch {
			if !full() {
				b.Fatal("verify failed")
			}
		}
		t1 := time.Now()
		for range batch {
			if !bare() {
				b.Fatal("bare verify failed")
			}
		}
		fullMin, bareMin = min(fullMin, t1.Sub(t0)), min(bareMin, time.Since(t1))
	}
	b.ReportMetric(float64(fullMin)/float64(bareMin), "x-bare")
}

// BenchmarkServiceVerify is the whole access-token check a request pays:
// signature and claims, then the revocation lookup in the cache.
func BenchmarkServiceVerify(b *testing.B) {
	for _, alg := range []string{"EdDSA", "ES256", "RS256"} {
		b.Run(alg, func(b *testing.B) {
			e := newEnv(b, alg)
			// Other sessions' revocations fill the deny-list, as in production.
			for range 1000 {
				if err := e.svc.Logout(context.Background(), e.start(b, "other").RefreshToken); err != nil {
					b.Fatal(err)
				}
			}
			tok := e.start(b, "u1").AccessToken
			verify := func() bool {
				_, err := e.svc.Verify(context.Background(), tok, "")
				return err == nil
			}
			b.ReportAllocs()
			for b.Loop() {
				if !verify() {
					b.Fatal("verify failed")
				}
			}
			reportRatio(b, verify, bareVerify(b, e, tok))
		})
	}
}

// BenchmarkRotate exchanges refresh tokens on memstore, each iteration
// consuming the token the previous one returned.
func BenchmarkRotate(b *testing.B) {
	e := newEnv(b, "EdDSA")
	p := e.start(b, "u1")
	b.ReportAllocs()
	for b.Loop() {
		p = e.rotate(b, p.RefreshToken)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rotations/s")
}

// BenchmarkRotateParallel runs one refresh chain per goroutine.
func BenchmarkRotateParallel(b *testing.B) {
	e := newEnv(b, "EdDSA")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		p, err := e.svc.Start(context.Background(), "u1", "", ports.DeviceInfo{})
		if err != nil {
			b.Error(err)
			return
		}
		for pb.Next() {
			if p, err = e.svc.Rotate(context.Background(), p.RefreshToken, ports.DeviceInfo{}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rotations/s")
}
