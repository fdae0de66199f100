// Package identitysvc holds the identity use cases (ports.Accounts):
// registering accounts, checking passwords and reading profiles, on top of
// the pure rules in core/identity and the driven ports.
package identitysvc

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"gatehouse/core/identity"
	"gatehouse/ports"
)

// Deps is what the Service needs. Users, Hasher, Clock and Random are
// required; a zero Policy means identity.DefaultPasswordPolicy and a nil Log
// discards.
type Deps struct {
	Users  ports.UserStore
	Hasher ports.PasswordHasher
	Clock  ports.Clock
	Random io.Reader // account ids and the timing-equalisation password
	Policy identity.PasswordPolicy
	Log    *slog.Logger
}

// Service implements ports.Accounts.
type Service struct {
	users  ports.UserStore
	hasher ports.PasswordHasher
	clock  ports.Clock
	random io.Reader
	policy identity.PasswordPolicy
	log    *slog.Logger

	// dummyHash is verified for unknown handles, so that "no such user"
	// costs what "wrong password" costs and timing reveals nothing.
	dummyHash string
}

var _ ports.Accounts = (*Service)(nil)

// New checks d and returns a Service. It hashes one random password to
// serve as the dummy hash, so it costs one password hash.
func New(d Deps) (*Service, error) {
	switch {
	case d.Users == nil:
		return nil, errors.New("identitysvc: Users is required")
	case d.Hasher == nil:
		return nil, errors.New("identitysvc: Hasher is required")
	case d.Clock == nil:
		return nil, errors.New("identitysvc: Clock is required")
	case d.Random == nil:
		return nil, errors.New("identitysvc: Random is required")
	}
	if d.Policy == (identity.PasswordPolicy{}) {
		d.Policy = identity.DefaultPasswordPolicy()
	}
	if err := d.Policy.Validate(); err != nil {
		return nil, fmt.Errorf("identitysvc: %w", err)
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	s := &Service{
		users: d.Users, hasher: d.Hasher, clock: d.Clock, random: d.Random,
		policy: d.Policy, log: d.Log,
	}
	secret, err := s.randomHex(16)
	if err != nil {
		return nil, err
	}
	// Construction has no caller context; the hasher's pool is idle then.
	if s.dummyHash, err = s.hasher.Hash(context.Background(), secret); err != nil {
		return nil, fmt.Errorf("identitysvc: dummy hash: %w", err)
	}
	return s, nil
}

// Profile returns the user with that ID; fault.NotFound
// identity.user_not_found.
func (s *Service) Profile(ctx context.Context, userID string) (identity.User, error) {
	u, err := s.users.ByID(ctx, userID)
	if err != nil {
		return identity.User{}, fmt.Errorf("identitysvc: profile: %w", err)
	}
	return u, nil
}

// randomHex returns n random bytes from the injected source, hex-encoded.
func (s *Service) randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(s.random, b); err != nil {
		return "", fmt.Errorf("identitysvc: read random: %w", err)
	}
	return hex.EncodeToString(b), nil
}
