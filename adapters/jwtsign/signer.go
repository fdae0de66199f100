// Package jwtsign signs and verifies gatehouse's access tokens as JWS compact
// JWTs with go-jose, from keys kept in a ports.KeyStore (generated and
// rotated here) or read from PEM files.
package jwtsign

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

var _ ports.TokenSigner = (*Signer)(nil)

// Options configures a Signer.
type Options struct {
	Algorithm string // EdDSA (default), ES256 or RS256
	// RSABits is the modulus size of generated RS256 keys: 2048 (default),
	// 3072 or 4096 (what contract 003's document shows).
	RSABits   int
	Issuer    string        // the iss of every token, checked on Verify
	AccessTTL time.Duration // access-token lifetime; a retired key verifies this long after rotation
	// PrivateKeyFiles are PEM private keys (PKCS#8, SEC1 or PKCS#1). When set,
	// keys come from these files, the first signs, and the KeyStore is unused.
	PrivateKeyFiles []string
	// RotateEvery is the age at which Reload replaces the signing key; 0 never.
	RotateEvery time.Duration
}

// Signer implements ports.TokenSigner. It is safe for concurrent use.
type Signer struct {
	opts  Options
	keys  ports.KeyStore
	clock ports.Clock

	ring     atomic.Pointer[keyring]
	mu       sync.Mutex   // serializes reloads and rotations, so an older ring never replaces a newer one
	lastMiss atomic.Int64 // unix nanoseconds of the last reload for an unknown kid
}

// New returns a Signer for o without touching the keys: Start loads them.
// It fails only on options that could never work.
func New(o Options, keys ports.KeyStore, clock ports.Clock) (*Signer, error) {
	if o.Algorithm == "" && len(o.PrivateKeyFiles) == 0 {
		o.Algorithm = EdDSA
	}
	if o.AccessTTL == 0 {
		o.AccessTTL = sessions.DefaultAccessTTL
	}
	switch {
	case o.Issuer == "":
		return nil, errors.New("jwtsign: issuer is required")
	case clock == nil:
		return nil, errors.New("jwtsign: clock is required")
	case len(o.PrivateKeyFiles) == 0 && keys == nil:
		return nil, errors.New("jwtsign: a key store or private key files are required")
	case o.AccessTTL < 0 || o.RotateEvery < 0:
		return nil, errors.New("jwtsign: negative duration")
	}
	if o.Algorithm != "" {
		if err := checkAlgorithm(o.Algorithm); err != nil {
			return nil, err
		}
	}
	return &Signer{opts: o, keys: keys, clock: clock}, nil
}

// Start loads the keys. Without key files it loads the KeyStore and, when
// no key may sign with the configured algorithm, generates one and claims
// the next generation; if another replica claims it first, Start uses that
// replica's key instead. Until Start succeeds, Sign, Verify, JWKS and
// PublicKeyPEM return fault.Unavailable.
func (s *Signer) Start(ctx context.Context) error {
	return s.load(ctx)
}

// errNotStarted is the cause of the fault every signing call returns
// before Start has loaded the keys.
var errNotStarted = errors.New("jwtsign: signer not started: no keys loaded")

// loaded returns the current keyring, or fault.Unavailable before Start.
func (s *Signer) loaded() (*keyring, error) {
	r := s.ring.Load()
	if r == nil {
		return nil, fault.Wrap(errNotStarted, fault.Unavailable, "sessions.signer_not_started", "Token signing is unavailable.")
	}
	return r, nil
}

// checkAlgorithm refuses algorithms gatehouse does not sign with.
func checkAlgorithm(alg string) error {
	switch alg {
	case EdDSA, ES256, RS256:
		return nil
	}
	return fmt.Errorf("jwtsign: unsupported algorithm %q: want EdDSA, ES256 or RS256", alg)
}

// load builds a fresh keyring from the files or the store and swaps it in.
func (s *Signer) load(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.opts.PrivateKeyFiles) > 0 {
		return s.loadFiles()
	}
	return s.loadStore(ctx)
}

func (s *Signer) loadFiles() error {
	privs := make([]crypto.Signer, 0, len(s.opts.PrivateKeyFiles))
	for _, name := range s.opts.PrivateKeyFiles {
		data, err := os.ReadFile(name)
		if err != nil {
			return fmt.Errorf("jwtsign: read key file: %w", err)
		}
		p, err := parsePrivatePEM(data)
		if err != nil {
			return fmt.Errorf("jwtsign: key file %s: %w", name, err)
		}
		privs = append(privs, p)
	}
	r, err := fileRing(privs)
	if err != nil {
		return err
	}
	if s.opts.Algorithm != "" && s.opts.Algorithm != string(r.byKID[r.signKID].alg) {
		return fmt.Errorf("jwtsign: first key file is %s, configured algorithm is %s", r.byKID[r.signKID].alg, s.opts.Algorithm)
	}
	s.ring.Store(r)
	return nil
}

// Sign implements ports.TokenSigner. An empty Issuer in c means the
// Signer's; a different one is a wiring error, since Verify would refuse it.
func (s *Signer) Sign(_ context.Context, c sessions.Claims) (string, error) {
	if c.Issuer == "" {
		c.Issuer = s.opts.Issuer
	}
	if c.Issuer != s.opts.Issuer {
		return "", fault.Wrap(fmt.Errorf("jwtsign: claims issuer %q is not %q", c.Issuer, s.opts.Issuer),
			fault.Internal, "sessions.issuer_mismatch", "")
	}
	r, err := s.loaded()
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(toWire(c))
	if err != nil {
		return "", fmt.Errorf("jwtsign: marshal claims: %w", err)
	}
	jws, err := r.signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("jwtsign: sign: %w", err)
	}
	tok, err := jws.CompactSerialize()
	if err != nil {
		return "", fmt.Errorf("jwtsign: serialize: %w", err)
	}
	return tok, nil
}

// JWKS implements ports.TokenSigner: every key that may verify now, with
// kid, alg and use=sig.
func (s *Signer) JWKS(_ context.Context) ([]byte, error) {
	r, err := s.loaded()
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(r.jwks(s.clock.Now()))
	if err != nil {
		return nil, fmt.Errorf("jwtsign: marshal jwks: %w", err)
	}
	return b, nil
}

// PublicKeyPEM implements ports.TokenSigner.
func (s *Signer) PublicKeyPEM(_ context.Context) ([]byte, error) {
	r, err := s.loaded()
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), r.publicPEM...), nil
}
