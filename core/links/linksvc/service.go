// Package linksvc implements the link use cases (ports.Links): creating,
// changing and listing short links, and the redirect hot path.
//
// Resolve reads a link through a ports.LinkCache, with the store behind
// it; changing or deleting a link invalidates its alias there.
//
// Redirects are counted exactly and durably. A link without a budget is
// counted by a ports.RedirectCounter, in process, and reaches the store
// when the app flushes the counter (every links.flush_every, and at
// stop). A link with a redirect budget is counted in the store at once, in
// the step that checks the budget.
package linksvc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"gatehouse/core/fault"
	"gatehouse/core/links"
	"gatehouse/ports"
)

var (
	_ ports.Links            = (*Service)(nil)
	_ ports.UserDeletionHook = (*Service)(nil)
	_ ports.LinkSource       = (*source)(nil)
)

const (
	// createAttempts bounds the draws of a fresh generated alias or ID.
	createAttempts = 5
	// aliasDraws bounds the redraws of one generated alias.
	aliasDraws = 20
)

// Deps are what the Service needs.
type Deps struct {
	Store   ports.LinkStore
	Cache   ports.LinkCache       // copies of links for Resolve and Lookup
	Counter ports.RedirectCounter // redirects of links without a budget
	Clock   ports.Clock
	Random  io.Reader // cryptographically secure, e.g. crypto/rand.Reader
	Policy  links.Policy
}

// Service implements ports.Links and ports.UserDeletionHook. It is safe for
// concurrent use and has no background work of its own.
type Service struct {
	store   ports.LinkStore
	cache   ports.LinkCache
	counter ports.RedirectCounter
	clock   ports.Clock
	random  io.Reader
	policy  links.Policy
	source  ports.LinkSource // built once: handing it to the cache costs nothing

	randomMu sync.Mutex // io.Reader is not safe for concurrent use
}

// New returns a Service, or an error naming the missing dependency or the
// broken policy rule.
func New(d Deps) (*Service, error) {
	switch {
	case d.Store == nil:
		return nil, errors.New("linksvc: store is required")
	case d.Cache == nil:
		return nil, errors.New("linksvc: link cache is required")
	case d.Counter == nil:
		return nil, errors.New("linksvc: redirect counter is required")
	case d.Clock == nil:
		return nil, errors.New("linksvc: clock is required")
	case d.Random == nil:
		return nil, errors.New("linksvc: random source is required")
	}
	p := d.Policy.WithDefaults()
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("linksvc: %w", err)
	}
	return &Service{
		store: d.Store, cache: d.Cache, counter: d.Counter, clock: d.Clock, random: d.Random,
		policy: p, source: &source{store: d.Store, policy: p},
	}, nil
}

// source is what the link cache reads through: the policy's rule on
// aliases, then the store.
type source struct {
	store  ports.LinkStore
	policy links.Policy
}

// Admit implements ports.LinkSource: no lookup, and no copy, for what
// cannot be an alias (malformed, or a route word even if a link was made
// before it became one).
func (s *source) Admit(alias string) error {
	if s.policy.ValidateAlias(alias) != nil {
		return links.NotFound()
	}
	return nil
}

// Load implements ports.LinkSource.
func (s *source) Load(ctx context.Context, alias string) (links.Link, error) {
	l, err := s.store.LinkByAlias(ctx, alias)
	if err != nil {
		return links.Link{}, fmt.Errorf("linksvc: resolve %q: %w", alias, err)
	}
	return l, nil
}

// read fills b from the random source.
func (s *Service) read(b []byte) error {
	s.randomMu.Lock()
	defer s.randomMu.Unlock()
	if _, err := io.ReadFull(s.random, b); err != nil {
		return fault.Wrap(err, fault.Internal, "links.random", "")
	}
	return nil
}

// newID draws a fresh link ID.
func (s *Service) newID() (string, error) {
	var b [links.IDBytes]byte
	if err := s.read(b[:]); err != nil {
		return "", err
	}
	return links.NewID(b[:])
}

// newAlias draws a fresh generated alias, drawing again in the rare case
// the bytes ran short or spelled a word the policy reserves.
func (s *Service) newAlias() (string, error) {
	b := make([]byte, links.AliasRandomBytes(s.policy.AliasLength))
	for range aliasDraws {
		if err := s.read(b); err != nil {
			return "", err
		}
		a, err := links.NewAlias(b, s.policy.AliasLength)
		if err == nil && s.policy.Reserves(a) { // one of this deployment's words
			err = links.ErrReservedAlias
		}
		if errors.Is(err, links.ErrShortRandom) || errors.Is(err, links.ErrReservedAlias) {
			continue
		}
		return a, err
	}
	// Only a broken random source fails this often.
	return "", fault.New(fault.Internal, "links.random", "")
}
