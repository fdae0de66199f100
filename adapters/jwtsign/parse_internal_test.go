package jwtsign

import (
	"context"
	"crypto"
	"testing"
	"time"

	"gatehouse/core/sessions"
)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// TestSplitKnownMatchesGoJose checks the header lookup is used for the
// Signer's own tokens and yields exactly what go-jose's parser yields.
func TestSplitKnownMatchesGoJose(t *testing.T) {
	for _, alg := range []string{EdDSA, ES256, RS256} {
		t.Run(alg, func(t *testing.T) {
			now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
			s := &Signer{opts: Options{Algorithm: alg, Issuer: "iss"}, clock: fixedClock{now}}
			priv, err := generate(alg, DefaultRSABits)
			if err != nil {
				t.Fatal(err)
			}
			r, err := fileRing([]crypto.Signer{priv})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.headers) != 1 {
				t.Fatalf("headers = %v, want the signing key's", r.headers)
			}
			s.ring.Store(r)
			tok, err := s.Sign(context.Background(), sessions.Claims{Subject: "u", Audience: "a", ID: "j", SessionID: "f",
				IssuedAt: now, ExpiresAt: now.Add(time.Minute)})
			if err != nil {
				t.Fatal(err)
			}
			fast, ok := r.splitKnown(tok)
			if !ok {
				t.Fatal("own token missed the header lookup")
			}
			r.headers = nil
			slow, err := r.split(tok)
			if err != nil {
				t.Fatal(err)
			}
			if fast.kid != slow.kid || fast.alg != slow.alg || fast.input != slow.input ||
				string(fast.sig) != string(slow.sig) || string(fast.payload) != string(slow.payload) {
				t.Fatalf("fast %+v != go-jose %+v", fast, slow)
			}
		})
	}
}
