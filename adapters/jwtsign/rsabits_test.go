package jwtsign_test

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"testing"
	"time"

	"gatehouse/adapters/jwtsign"
	"gatehouse/ports/porttest"
)

// TestRSAKeySize: RS256 keys are generated at the configured size, so the
// public key contract 003 serves can be the RSA-4096 its document shows.
func TestRSAKeySize(t *testing.T) {
	if testing.Short() {
		t.Skip("generates an RSA-4096 key")
	}
	clock := porttest.NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	s := started(t, jwtsign.Options{Algorithm: jwtsign.RS256, RSABits: 4096, Issuer: issuer, AccessTTL: 30 * time.Minute},
		&fakeKeys{}, clock)
	raw, err := s.PublicKeyPEM(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(raw)
	if block == nil {
		t.Fatalf("not PEM: %s", raw)
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	k, ok := pub.(*rsa.PublicKey)
	if !ok {
		t.Fatalf("public key %T, want RSA", pub)
	}
	if k.N.BitLen() != 4096 {
		t.Fatalf("RSA key of %d bits, want 4096", k.N.BitLen())
	}
}
