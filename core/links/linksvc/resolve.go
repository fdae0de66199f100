package linksvc

import (
	"context"
	"fmt"

	"gatehouse/core/links"
)

// Resolve implements ports.Links. A link without a redirect budget is
// counted by the redirect counter (no I/O on a warm hit) and reaches the
// store when the counter is flushed; one with a budget is counted in the
// store at once, in one conditional step, so concurrent redirects on every
// replica never overrun it and no cache loss can forget them.
func (s *Service) Resolve(ctx context.Context, alias string) (string, error) {
	l, err := s.cache.Get(ctx, alias, s.source)
	if err != nil {
		return "", err
	}
	if err := s.live(&l); err != nil {
		return "", err
	}
	if l.MaxRedirects > 0 {
		return s.resolveLimited(ctx, l)
	}
	s.counter.Add(ctx, l.ID)
	return l.Target, nil
}

// Lookup implements ports.Links: Resolve's read path without the count. A
// link with a redirect budget is checked against its stored count, so a
// link Resolve would refuse as exhausted is gone here too.
func (s *Service) Lookup(ctx context.Context, alias string) (links.Link, error) {
	l, err := s.cache.Get(ctx, alias, s.source)
	if err == nil {
		err = s.live(&l)
	}
	if err != nil {
		return links.Link{}, err
	}
	if l.MaxRedirects == 0 {
		return l, nil
	}
	if l.Exhausted(l.Redirects) { // stored counts only grow: no need to ask
		return links.Link{}, links.Gone()
	}
	fresh, err := s.store.LinkByID(ctx, l.ID)
	if err != nil {
		return links.Link{}, fmt.Errorf("linksvc: lookup %q: %w", alias, err)
	}
	if err := fresh.Admit(s.clock.Now(), fresh.Redirects); err != nil {
		return links.Link{}, err
	}
	return fresh, nil
}

// live refuses an expired link (fault.Gone links.gone); the cache returns
// links as stored, and Resolve and Lookup decide. It takes a pointer: the
// redirect path copies no link it need not.
func (s *Service) live(l *links.Link) error {
	// Most links never expire: they cost no reading of the clock.
	if !l.ExpiresAt.IsZero() && l.Expired(s.clock.Now()) {
		return links.Gone()
	}
	return nil
}

// resolveLimited serves a link with a redirect budget: the store counts
// the redirect only while the budget lasts (ports.LinkStore.TakeRedirect),
// so the count is durable before the redirect is answered.
func (s *Service) resolveLimited(ctx context.Context, l links.Link) (string, error) {
	if l.Exhausted(l.Redirects) { // stored counts only grow: no need to ask
		return "", links.Gone()
	}
	fresh, ok, err := s.store.TakeRedirect(ctx, l.ID)
	if err != nil {
		return "", fmt.Errorf("linksvc: resolve %q: %w", l.Alias, err)
	}
	if !ok {
		return "", links.Gone()
	}
	return fresh.Target, nil
}
