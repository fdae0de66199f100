// Package sessionsvc implements the session use cases (ports.Sessions):
// sign-in starts a refresh family, refresh rotates it with reuse detection
// (RFC 9700), logout and password changes revoke it, and access tokens are
// checked for signature, claims and revocation. Contracts without a refresh
// flow get opaque sessions instead (opaque.go): one hashed 256-bit token
// with a sliding idle expiry, checked cache-first.
package sessionsvc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

var _ ports.Sessions = (*Service)(nil)

// Deps are what the Service needs.
type Deps struct {
	Store  ports.SessionStore
	Signer ports.TokenSigner
	Cache  ports.Cache // holds the revocation deny-list every replica reads
	Clock  ports.Clock
	Random io.Reader // cryptographically secure, e.g. crypto/rand.Reader
	Policy sessions.Policy
	Log    *slog.Logger // nil: discard
	// VerifiedCacheSize bounds how many verified access tokens Verify
	// remembers (verified.go); 0 means DefaultVerifiedCacheSize, negative
	// turns the cache off.
	VerifiedCacheSize int
}

// Service implements ports.Sessions. It is safe for concurrent use.
type Service struct {
	store  ports.SessionStore
	signer ports.TokenSigner
	cache  ports.Cache
	clock  ports.Clock
	random io.Reader
	policy sessions.Policy
	log    *slog.Logger
	feed   feed
	// verified skips the signature check of tokens seen before.
	verified *verifiedCache
}

// New returns a Service, or an error naming the missing dependency or the
// broken policy rule. Zero lifetimes in d.Policy take their defaults.
func New(d Deps) (*Service, error) {
	switch {
	case d.Store == nil:
		return nil, errors.New("sessionsvc: store is required")
	case d.Signer == nil:
		return nil, errors.New("sessionsvc: signer is required")
	case d.Cache == nil:
		return nil, errors.New("sessionsvc: cache is required")
	case d.Clock == nil:
		return nil, errors.New("sessionsvc: clock is required")
	case d.Random == nil:
		return nil, errors.New("sessionsvc: random source is required")
	}
	p := d.Policy.WithDefaults()
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("sessionsvc: %w", err)
	}
	log := d.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	size := d.VerifiedCacheSize
	if size == 0 {
		size = DefaultVerifiedCacheSize
	}
	return &Service{store: d.Store, signer: d.Signer, cache: d.Cache, clock: d.Clock,
		random: d.Random, policy: p, log: log, verified: newVerifiedCache(size)}, nil
}

// Devices implements ports.Sessions.
func (s *Service) Devices(ctx context.Context, userID string) ([]sessions.Device, error) {
	ds, err := s.store.Devices(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("sessionsvc: devices: %w", err)
	}
	return ds, nil
}

// newID draws a fresh random ID.
func (s *Service) newID() (string, error) {
	var b [sessions.IDBytes]byte
	if _, err := io.ReadFull(s.random, b[:]); err != nil {
		return "", fault.Wrap(err, fault.Internal, "sessions.random", "")
	}
	return sessions.NewID(b[:])
}

// newRefresh draws a fresh refresh token and its hash.
func (s *Service) newRefresh() (token, hash string, err error) {
	var b [sessions.RefreshBytes]byte
	if _, err := io.ReadFull(s.random, b[:]); err != nil {
		return "", "", fault.Wrap(err, fault.Internal, "sessions.random", "")
	}
	return sessions.NewRefreshSecret(b[:])
}
