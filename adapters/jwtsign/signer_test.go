package jwtsign_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"slices"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
)

var algorithms = []string{"EdDSA", "ES256", "RS256"}

func TestSignVerifyRoundTrip(t *testing.T) {
	for _, alg := range algorithms {
		t.Run(alg, func(t *testing.T) {
			clock := newClock()
			s := newSigner(t, alg, &fakeKeys{}, clock)
			want := claimsAt(clock.Now())
			tok := sign(t, s, want)
			hdr := header(t, tok)
			if hdr["alg"] != alg || hdr["kid"] == "" || hdr["typ"] != "JWT" {
				t.Fatalf("header = %v", hdr)
			}
			got, err := s.Verify(context.Background(), tok, aud)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got.Issuer != want.Issuer || got.Subject != want.Subject || got.Audience != want.Audience ||
				!got.ExpiresAt.Equal(want.ExpiresAt) || !got.IssuedAt.Equal(want.IssuedAt) ||
				got.ID != want.ID || got.SessionID != want.SessionID || !slices.Equal(got.Roles, want.Roles) {
				t.Fatalf("Verify = %+v, want %+v", got, want)
			}
		})
	}
}

func TestSignOmitsEmptyRolesAndFillsIssuer(t *testing.T) {
	clock := newClock()
	s := newSigner(t, "EdDSA", &fakeKeys{}, clock)
	c := claimsAt(clock.Now())
	c.Roles, c.Issuer = nil, ""
	tok := sign(t, s, c)
	if p := payload(t, tok); p["iss"] != issuer || p["aud"] != aud || p["roles"] != nil {
		t.Fatalf("payload = %v", p)
	}
	c.Issuer = "someone-else"
	if _, err := s.Sign(context.Background(), c); fault.CodeOf(err) != fault.Internal {
		t.Fatalf("Sign with a foreign issuer = %v, want internal", err)
	}
}

func TestVerifyRefuses(t *testing.T) {
	clock := newClock()
	keys := &fakeKeys{}
	s := newSigner(t, "EdDSA", keys, clock)
	good := sign(t, s, claimsAt(clock.Now()))
	parts := strings.Split(good, ".")
	pubPEM, err := s.PublicKeyPEM(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	kid := header(t, good)["kid"].(string)
	otherAud := claimsAt(clock.Now())
	otherAud.Audience = "other"
	otherIss := newSigner(t, "EdDSA", &fakeKeys{}, clock)

	tests := []struct {
		name  string
		token string
	}{
		{"empty", ""},
		{"garbage", "not a token"},
		{"two parts", parts[0] + "." + parts[1]},
		{"alg none", encode(t, map[string]any{"alg": "none", "kid": kid}, payload(t, good)) + "."},
		{"HS256 with the public key as secret", hmacToken(t, pubPEM, kid, payload(t, good))},
		{"no kid", resign(t, keys, "", payload(t, good))},
		{"unknown kid", resign(t, keys, "no-such-kid", payload(t, good))},
		{"tampered payload", encodePart(t, mapWith(payload(t, good), "sub", "admin")) + "." + parts[1] + "." + parts[2]},
		{"tampered payload keeps header", parts[0] + "." + encodePart(t, mapWith(payload(t, good), "sub", "root")) + "." + parts[2]},
		{"signature of another key", sign(t, otherIss, claimsAt(clock.Now()))},
		{"wrong audience", sign(t, s, otherAud)},
		{"two audiences", resign(t, keys, kid, mapWith(payload(t, good), "aud", []string{aud, "other"}))},
		{"wrong issuer", resign(t, keys, kid, mapWith(payload(t, good), "iss", "https://evil.test"))},
		{"nbf in the future", resign(t, keys, kid, mapWith(payload(t, good), "nbf", clock.Now().Add(time.Hour).Unix()))},
		{"huge", strings.Repeat("a", 10000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Verify(context.Background(), tt.token, aud)
			wantReason(t, err, sessions.ReasonTokenInvalid)
		})
	}
}

func TestVerifyAcceptsOtherHeaderLayouts(t *testing.T) {
	clock := newClock()
	keys := &fakeKeys{}
	s := newSigner(t, "ES256", keys, clock)
	good := sign(t, s, claimsAt(clock.Now()))
	k := keys.snapshot()[0]
	// A genuine signature under a header Sign would not write (no typ, an
	// extra field) takes go-jose's parser and still verifies.
	hdr := map[string]any{"alg": "ES256", "kid": k.ID, "x-note": "hi"}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: privateKey(t, k.PrivatePEM)},
		(&jose.SignerOptions{ExtraHeaders: map[jose.HeaderKey]any{"kid": hdr["kid"], "x-note": hdr["x-note"]}}))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(payload(t, good))
	jws, err := signer.Sign(b)
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := jws.CompactSerialize()
	if h := header(t, tok); h["x-note"] != "hi" || h["typ"] != nil {
		t.Fatalf("header = %v", h)
	}
	if _, err := s.Verify(context.Background(), tok, aud); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}

func TestVerifyPinsAlgorithmToKey(t *testing.T) {
	clock := newClock()
	keys := &fakeKeys{}
	ed := newSigner(t, "EdDSA", keys, clock)
	newSigner(t, "ES256", keys, clock) // the store now holds an ES256 key too
	if err := ed.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	edTok := sign(t, ed, claimsAt(clock.Now()))
	edKid := header(t, edTok)["kid"].(string)
	// A genuine ES256 signature, but under the EdDSA key's kid.
	var ecKey *ecdsa.PrivateKey
	for _, k := range keys.snapshot() {
		if k.Algorithm == "ES256" {
			ecKey = privateKey(t, k.PrivatePEM).(*ecdsa.PrivateKey)
		}
	}
	forged := joseSign(t, jose.ES256, ecKey, edKid, payload(t, edTok))
	_, err := ed.Verify(context.Background(), forged, aud)
	wantReason(t, err, sessions.ReasonTokenInvalid)
	if _, err := ed.Verify(context.Background(), edTok, aud); err != nil {
		t.Fatalf("genuine token refused: %v", err)
	}
}

func TestVerifyExpiry(t *testing.T) {
	clock := newClock()
	s := newSigner(t, "ES256", &fakeKeys{}, clock)
	tok := sign(t, s, claimsAt(clock.Now()))
	clock.Advance(30*time.Minute + sessions.Leeway)
	if _, err := s.Verify(context.Background(), tok, aud); err != nil {
		t.Fatalf("within leeway: %v", err)
	}
	clock.Advance(time.Second)
	_, err := s.Verify(context.Background(), tok, aud)
	wantReason(t, err, sessions.ReasonTokenExpired)
}

func TestPublicKeyPEMIsSigningKey(t *testing.T) {
	for _, alg := range algorithms {
		clock := newClock()
		s := newSigner(t, alg, &fakeKeys{}, clock)
		p, err := s.PublicKeyPEM(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		b, _ := pem.Decode(p)
		if b == nil || b.Type != "PUBLIC KEY" {
			t.Fatalf("%s: PublicKeyPEM = %q", alg, p)
		}
		pub, err := x509.ParsePKIXPublicKey(b.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		tok := sign(t, s, claimsAt(clock.Now()))
		jws, err := jose.ParseSignedCompact(tok, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(alg)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := jws.Verify(pub); err != nil {
			t.Fatalf("%s: token does not verify with PublicKeyPEM: %v", alg, err)
		}
	}
}

// header decodes a token's JOSE header.
func header(tb testing.TB, tok string) map[string]any {
	tb.Helper()
	return decodePart(tb, strings.Split(tok, ".")[0])
}

// payload decodes a token's claims without checking them.
func payload(tb testing.TB, tok string) map[string]any {
	tb.Helper()
	return decodePart(tb, strings.Split(tok, ".")[1])
}

func decodePart(tb testing.TB, part string) map[string]any {
	tb.Helper()
	b, err := base64.RawURLEncoding.DecodeString(part)
	if err != nil {
		tb.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		tb.Fatal(err)
	}
	return m
}

func encodePart(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func encode(tb testing.TB, hdr, claims map[string]any) string {
	tb.Helper()
	return encodePart(tb, hdr) + "." + encodePart(tb, claims)
}

func mapWith(m map[string]any, k string, v any) map[string]any {
	m[k] = v
	return m
}

// hmacToken forges an HS256 token keyed with the public key PEM, the classic
// algorithm-confusion attack.
func hmacToken(tb testing.TB, secret []byte, kid string, claims map[string]any) string {
	tb.Helper()
	return joseSign(tb, jose.HS256, secret, kid, claims)
}

// resign signs claims with the store's current signing key under any kid.
func resign(tb testing.TB, keys *fakeKeys, kid string, claims map[string]any) string {
	tb.Helper()
	k := keys.snapshot()[0]
	return joseSign(tb, jose.SignatureAlgorithm(k.Algorithm), privateKey(tb, k.PrivatePEM), kid, claims)
}

func joseSign(tb testing.TB, alg jose.SignatureAlgorithm, key any, kid string, claims map[string]any) string {
	tb.Helper()
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if kid != "" {
		opts = opts.WithHeader("kid", kid)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		tb.Fatal(err)
	}
	b, err := json.Marshal(claims)
	if err != nil {
		tb.Fatal(err)
	}
	jws, err := signer.Sign(b)
	if err != nil {
		tb.Fatal(err)
	}
	tok, err := jws.CompactSerialize()
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

func privateKey(tb testing.TB, p []byte) any {
	tb.Helper()
	b, _ := pem.Decode(p)
	if b == nil {
		tb.Fatal("no PEM")
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		tb.Fatal(err)
	}
	switch k.(type) {
	case ed25519.PrivateKey, *ecdsa.PrivateKey, *rsa.PrivateKey:
		return k
	}
	tb.Fatalf("unexpected key %T", k)
	return nil
}
