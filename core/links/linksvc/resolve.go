package linksvc

import (
	"context"
	"fmt"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/links"
)

// Resolve implements ports.Links. A link without a redirect budget is
// counted in a local atomic counter (no I/O on a warm hit) that reaches the
// store within the flush interval; one with a budget is counted in the
// store at once, in one conditional step, so concurrent redirects on every
// replica never overrun it and no cache loss can forget them.
func (s *Service) Resolve(ctx context.Context, alias string) (string, error) {
	now := s.clock.Now()
	l, err := s.lookup(ctx, alias, now)
	if err != nil {
		return "", err
	}
	if l.MaxRedirects > 0 {
		return s.resolveLimited(ctx, l)
	}
	if !s.counts.add(l.ID) {
		s.countDirect(ctx, l.ID)
	}
	return l.Target, nil
}

// Lookup implements ports.Links: Resolve's read path without the count. A
// link with a redirect budget is checked against its stored count, so a
// link Resolve would refuse as exhausted is gone here too.
func (s *Service) Lookup(ctx context.Context, alias string) (links.Link, error) {
	now := s.clock.Now()
	l, err := s.lookup(ctx, alias, now)
	if err != nil || l.MaxRedirects == 0 {
		return l, err
	}
	if l.Exhausted(l.Redirects) { // stored counts only grow: no need to ask
		return links.Link{}, links.Gone()
	}
	fresh, err := s.store.LinkByID(ctx, l.ID)
	if err != nil {
		return links.Link{}, fmt.Errorf("linksvc: lookup %q: %w", alias, err)
	}
	if err := fresh.Admit(now, fresh.Redirects); err != nil {
		return links.Link{}, err
	}
	return fresh, nil
}

// lookup returns the link alias names, from the local cache or else
// through fill: fault.NotFound links.not_found for an unknown alias,
// links.gone for an expired link. Counting is the caller's business.
func (s *Service) lookup(ctx context.Context, alias string, now time.Time) (links.Link, error) {
	l, ok := s.local.get(alias, now)
	if !ok {
		var err error
		if l, err = s.fill(ctx, alias, now); err != nil {
			return links.Link{}, err
		}
	}
	if l.Expired(now) {
		return links.Link{}, links.Gone()
	}
	return l, nil
}

// fill loads alias from the shared cache or the store and keeps it in the
// local cache (and the shared one), unless an invalidation arrived
// meanwhile: then the copy may predate the change and is used for this
// request only. The epoch is compared and the copy stored under fillMu,
// which invalidateLocal takes to bump the epoch, so a copy written to the
// shared cache before the bump is deleted by the invalidation after it.
func (s *Service) fill(ctx context.Context, alias string, now time.Time) (links.Link, error) {
	if s.policy.ValidateAlias(alias) != nil {
		return links.Link{}, links.NotFound() // no lookup for what cannot be an alias
	}
	epoch := s.epoch.Load()
	if b, ok, err := s.cache.Get(ctx, aliasKey(alias)); err != nil {
		s.log.Warn("links: shared cache get", "alias", alias, "err", err)
	} else if ok {
		if l, err := decodeLink(b); err == nil && l.Alias == alias {
			s.keep(epoch, l, nil, now)
			return l, nil
		}
	}
	l, err := s.store.LinkByAlias(ctx, alias)
	if err != nil {
		return links.Link{}, fmt.Errorf("linksvc: resolve %q: %w", alias, err)
	}
	b, err := encodeLink(l)
	if err != nil {
		return links.Link{}, fault.Wrap(err, fault.Internal, "links.encode", "")
	}
	s.keep(epoch, l, b, now)
	return l, nil
}

// keep caches l locally, and in the shared cache when shared is not nil,
// if no invalidation happened since epoch was read.
func (s *Service) keep(epoch uint64, l links.Link, shared []byte, now time.Time) {
	s.fillMu.RLock()
	defer s.fillMu.RUnlock()
	if s.epoch.Load() != epoch {
		return
	}
	if shared != nil {
		// Not the request's ctx: a copy half-written for a canceled
		// request is harmless, but the call must not hold fillMu long.
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := s.cache.Set(ctx, aliasKey(l.Alias), shared, sharedTTL); err != nil {
			s.log.Warn("links: shared cache set", "alias", l.Alias, "err", err)
		}
	}
	s.local.put(l.Alias, l, now.Add(localTTL))
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
