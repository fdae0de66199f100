// Package identitysvc implements the identity use cases (ports.Accounts,
// ports.Profiles, ports.Recovery, ports.Admin) on top of the pure rules in
// core/identity and the driven ports.
package identitysvc

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// Deps is what the Service needs. Every port is required; a zero Policy
// means identity.DefaultPasswordPolicy, a zero Catalog
// identity.DefaultCatalog, a zero ChallengeTTL identity.DefaultChallengeTTL,
// zero Throttle fields their defaults (see Throttle), and a nil Log discards.
type Deps struct {
	Users      ports.UserStore
	Hasher     ports.PasswordHasher
	Clock      ports.Clock
	Random     io.Reader // ids, one-time secrets, the timing-equalisation password
	Challenges ports.ChallengeStore
	// Notifier delivers codes and links; nil means no channel is set up,
	// and flows that must send something answer fault.Unavailable
	// identity.delivery_disabled to everyone alike.
	Notifier ports.Notifier
	// Background runs the part of a flow that depends on whether an
	// account exists (finding it, storing its token, composing its mail)
	// off the request path, so every caller waits the same; nil runs that
	// part at once, in the caller (tests, commands).
	Background ports.Background
	Cache      ports.Cache // throttle counters and challenge attempts, shared by replicas
	Sessions   ports.SessionRevoker
	Hooks      []ports.UserDeletionHook // told before an account is deleted
	Policy     identity.PasswordPolicy
	Catalog    identity.Catalog
	// Links makes the links in messages (ports.LinkRoutes in most cases);
	// nil serves no link purpose, so no link is mailed.
	Links        ports.MailLinks
	ChallengeTTL time.Duration
	Throttle     Throttle
	Log          *slog.Logger
}

// Service implements the identity use cases. It is safe for concurrent use.
type Service struct {
	users      ports.UserStore
	hasher     ports.PasswordHasher
	clock      ports.Clock
	random     io.Reader
	challenges ports.ChallengeStore
	notifier   ports.Notifier
	background ports.Background
	cache      ports.Cache
	sessions   ports.SessionRevoker
	hooks      []ports.UserDeletionHook
	policy     identity.PasswordPolicy
	catalog    identity.Catalog
	links      ports.MailLinks
	ttl        time.Duration
	throttle   Throttle
	log        *slog.Logger

	// dummyHash is verified for unknown handles, so that "no such user"
	// costs what "wrong password" costs and timing reveals nothing.
	dummyHash string
}

var (
	_ ports.Accounts = (*Service)(nil)
	_ ports.Profiles = (*Service)(nil)
	_ ports.Recovery = (*Service)(nil)
	_ ports.Admin    = (*Service)(nil)
)

// New checks d and returns a Service. It hashes one random password to
// serve as the dummy hash, so it costs one password hash.
func New(d Deps) (*Service, error) {
	if err := checkDeps(d); err != nil {
		return nil, err
	}
	if d.Policy == (identity.PasswordPolicy{}) {
		d.Policy = identity.DefaultPasswordPolicy()
	}
	if err := d.Policy.Validate(); err != nil {
		return nil, fmt.Errorf("identitysvc: %w", err)
	}
	if d.Catalog.IsZero() {
		d.Catalog = identity.DefaultCatalog()
	}
	if err := d.Catalog.Validate(); err != nil {
		return nil, fmt.Errorf("identitysvc: %w", err)
	}
	if d.Links == nil {
		d.Links = ports.LinkRoutes{}
	}
	if d.ChallengeTTL <= 0 {
		d.ChallengeTTL = identity.DefaultChallengeTTL
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	s := &Service{
		users: d.Users, hasher: d.Hasher, clock: d.Clock, random: d.Random,
		challenges: d.Challenges, notifier: d.Notifier, background: d.Background, cache: d.Cache, sessions: d.Sessions,
		hooks: append([]ports.UserDeletionHook(nil), d.Hooks...), policy: d.Policy, catalog: d.Catalog,
		links: d.Links, ttl: d.ChallengeTTL, throttle: d.Throttle.withDefaults(), log: d.Log,
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

func checkDeps(d Deps) error {
	required := []struct {
		name    string
		missing bool
	}{
		{"Users", d.Users == nil},
		{"Hasher", d.Hasher == nil},
		{"Clock", d.Clock == nil},
		{"Random", d.Random == nil},
		{"Challenges", d.Challenges == nil},
		{"Cache", d.Cache == nil},
		{"Sessions", d.Sessions == nil},
	}
	for _, r := range required {
		if r.missing {
			return fmt.Errorf("identitysvc: %s is required", r.name)
		}
	}
	for i, h := range d.Hooks {
		if h == nil {
			return fmt.Errorf("identitysvc: Hooks[%d] is nil", i)
		}
	}
	return nil
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
	b, err := s.randomBytes(n)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// randomBytes returns n random bytes from the injected source.
func (s *Service) randomBytes(n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(s.random, b); err != nil {
		return nil, fmt.Errorf("identitysvc: read random: %w", err)
	}
	return b, nil
}

// deliverable refuses flows that must send a message when no channel is
// set up, or that must send a link to a page no part of this deployment
// serves, before anything depends on who asked, so the answer reveals
// nothing about accounts and nobody waits for mail that cannot come.
func (s *Service) deliverable(links ...identity.Purpose) error {
	if s.notifier == nil {
		return fault.New(fault.Unavailable, "identity.delivery_disabled", "Email delivery is not configured on this server.")
	}
	for _, p := range links {
		if _, ok := s.links.Link(p, "x"); !ok {
			return fault.New(fault.Unavailable, "identity.link_unserved",
				"This server does not serve the page such an emailed link would open.")
		}
	}
	return nil
}
