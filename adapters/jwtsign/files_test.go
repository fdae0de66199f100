package jwtsign_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"gatehouse/adapters/jwtsign"
	"gatehouse/core/fault"
	"gatehouse/ports"
)

// writePEM writes one PEM file and returns its path.
func writePEM(tb testing.TB, dir, name string, blocks ...*pem.Block) string {
	tb.Helper()
	var data []byte
	for _, b := range blocks {
		data = append(data, pem.EncodeToMemory(b)...)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		tb.Fatal(err)
	}
	return p
}

func keyFiles(tb testing.TB) (ed, ec, rs string) {
	tb.Helper()
	dir := tb.TempDir()
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	der, err := x509.MarshalPKCS8PrivateKey(edKey)
	if err != nil {
		tb.Fatal(err)
	}
	ed = writePEM(tb, dir, "ed.pem", &pem.Block{Type: "PRIVATE KEY", Bytes: der})
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	sec1, err := x509.MarshalECPrivateKey(ecKey)
	if err != nil {
		tb.Fatal(err)
	}
	// openssl ecparam -genkey writes the parameters block first.
	ec = writePEM(tb, dir, "ec.pem", &pem.Block{Type: "EC PARAMETERS", Bytes: []byte{6, 8, 42, 134, 72, 206, 61, 3, 1, 7}},
		&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1})
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	rs = writePEM(tb, dir, "rsa.pem", &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey)})
	return ed, ec, rs
}

func TestKeysFromFiles(t *testing.T) {
	ctx := context.Background()
	ed, ec, rs := keyFiles(t)
	clock := newClock()
	tests := []struct {
		name  string
		files []string
		alg   string
	}{
		{"pkcs8 ed25519 first", []string{ed, ec, rs}, "EdDSA"},
		{"sec1 ecdsa first", []string{ec, rs}, "ES256"},
		{"pkcs1 rsa only", []string{rs}, "RS256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := started(t, jwtsign.Options{Issuer: issuer, PrivateKeyFiles: tt.files}, nil, clock)
			tok := sign(t, s, claimsAt(clock.Now()))
			if got := header(t, tok)["alg"]; got != tt.alg {
				t.Fatalf("alg = %v, want %s", got, tt.alg)
			}
			if _, err := s.Verify(ctx, tok, aud); err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if n := len(jwksKids(t, s)); n != len(tt.files) {
				t.Fatalf("JWKS has %d keys, want %d", n, len(tt.files))
			}
			if err := s.Rotate(ctx); err == nil {
				t.Fatal("Rotate with key files succeeded")
			}
		})
	}

	// A token of the second file's key still verifies once it is no longer first.
	first := started(t, jwtsign.Options{Issuer: issuer, PrivateKeyFiles: []string{ec}}, nil, clock)
	both := started(t, jwtsign.Options{Issuer: issuer, PrivateKeyFiles: []string{ed, ec}}, nil, clock)
	if _, err := both.Verify(ctx, sign(t, first, claimsAt(clock.Now())), aud); err != nil {
		t.Fatalf("second key's token: %v", err)
	}
}

// TestRefuses checks that options that can never work fail at New, and
// key files that cannot be used fail at Start.
func TestRefuses(t *testing.T) {
	ed, _, _ := keyFiles(t)
	dir := t.TempDir()
	notKey := writePEM(t, dir, "cert.pem", &pem.Block{Type: "CERTIFICATE", Bytes: []byte{1}})
	smallRSA, _ := rsa.GenerateKey(rand.Reader, 1024)
	small := writePEM(t, dir, "small.pem", &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(smallRSA)})
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	der, _ := x509.MarshalECPrivateKey(p384)
	wrongCurve := writePEM(t, dir, "p384.pem", &pem.Block{Type: "EC PRIVATE KEY", Bytes: der})
	clock := newClock()
	tests := []struct {
		name  string
		o     jwtsign.Options
		keys  ports.KeyStore
		atNew bool // refused by New; otherwise New succeeds and Start refuses
	}{
		{"no issuer", jwtsign.Options{}, &fakeKeys{}, true},
		{"unknown algorithm", jwtsign.Options{Issuer: issuer, Algorithm: "HS256"}, &fakeKeys{}, true},
		{"no store and no files", jwtsign.Options{Issuer: issuer}, nil, true},
		{"missing file", jwtsign.Options{Issuer: issuer, PrivateKeyFiles: []string{filepath.Join(dir, "nope")}}, nil, false},
		{"no private key in file", jwtsign.Options{Issuer: issuer, PrivateKeyFiles: []string{notKey}}, nil, false},
		{"rsa under 2048 bits", jwtsign.Options{Issuer: issuer, PrivateKeyFiles: []string{small}}, nil, false},
		{"P-384 key", jwtsign.Options{Issuer: issuer, PrivateKeyFiles: []string{wrongCurve}}, nil, false},
		{"file alg differs from configured", jwtsign.Options{Issuer: issuer, Algorithm: "ES256", PrivateKeyFiles: []string{ed}}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := jwtsign.New(tt.o, tt.keys, clock)
			if tt.atNew {
				if err == nil {
					t.Fatal("New succeeded")
				}
				return
			}
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			if err := s.Start(context.Background()); err == nil {
				t.Fatal("Start succeeded")
			}
			if _, err := s.JWKS(context.Background()); !fault.Is(err, fault.Unavailable) {
				t.Fatalf("JWKS after a failed Start: err = %v, want unavailable", err)
			}
		})
	}
}
