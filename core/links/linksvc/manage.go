package linksvc

import (
	"context"
	"fmt"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/links"
	"gatehouse/ports"
)

// Create implements ports.Links. A generated alias (or ID) that happens to
// be taken is drawn again, up to createAttempts times; a taken custom
// alias is the caller's Conflict.
func (s *Service) Create(ctx context.Context, ownerID string, n ports.NewLink) (links.Link, error) {
	now := s.now()
	n.ExpiresAt = millis(n.ExpiresAt)
	target, err := s.check(now, n, n.Alias != "")
	if err != nil {
		return links.Link{}, err
	}
	for attempt := 1; ; attempt++ {
		alias := n.Alias
		if alias == "" {
			if alias, err = s.newAlias(); err != nil {
				return links.Link{}, err
			}
		}
		id, err := s.newID()
		if err != nil {
			return links.Link{}, err
		}
		l := links.Link{
			ID: id, Alias: alias, Target: target, OwnerID: ownerID,
			CreatedAt: now, UpdatedAt: now, ExpiresAt: n.ExpiresAt, MaxRedirects: n.MaxRedirects,
		}
		err = s.store.CreateLink(ctx, l)
		retry := fault.ReasonOf(err) == links.ReasonIDTaken ||
			(fault.ReasonOf(err) == links.ReasonAliasTaken && n.Alias == "")
		switch {
		case err == nil:
			return l, nil
		case retry && attempt < createAttempts:
			continue
		}
		return links.Link{}, fmt.Errorf("linksvc: create: %w", err)
	}
}

// Update implements ports.Links.
func (s *Service) Update(ctx context.Context, ownerID, id string, p ports.LinkPatch) (before, after links.Link, err error) {
	cur, err := s.owned(ctx, ownerID, id)
	if err != nil {
		return links.Link{}, links.Link{}, err
	}
	n := ports.NewLink{Target: cur.Target, Alias: cur.Alias, ExpiresAt: cur.ExpiresAt, MaxRedirects: cur.MaxRedirects}
	if p.Target != nil {
		n.Target = *p.Target
	}
	if p.Alias != nil && *p.Alias != "" {
		n.Alias = *p.Alias
	}
	if p.ExpiresAt != nil {
		n.ExpiresAt = millis(*p.ExpiresAt)
	}
	if p.MaxRedirects != nil {
		n.MaxRedirects = *p.MaxRedirects
	}
	now := s.now()
	// An unchanged alias, target or expiry is not checked again: each was
	// valid when set (an expiry may have passed since; changing other
	// fields of an expired link is allowed).
	target, err := s.check(now, n, n.Alias != cur.Alias)
	if err != nil && (p.ExpiresAt != nil || !onlyExpiryInvalid(err)) {
		return links.Link{}, links.Link{}, err
	}
	l := cur
	l.Alias, l.Target, l.ExpiresAt, l.MaxRedirects, l.UpdatedAt = n.Alias, target, n.ExpiresAt, n.MaxRedirects, now
	if err := s.store.UpdateLink(ctx, l); err != nil {
		return links.Link{}, links.Link{}, fmt.Errorf("linksvc: update %s: %w", id, err)
	}
	if l.Alias != cur.Alias {
		s.cache.Invalidate(ctx, cur.Alias, l.Alias)
	} else {
		s.cache.Invalidate(ctx, cur.Alias)
	}
	unflushed := s.counter.Unflushed(id)
	cur.Redirects += unflushed
	l.Redirects += unflushed
	return cur, l, nil
}

// onlyExpiryInvalid reports whether err refuses the expiry alone.
func onlyExpiryInvalid(err error) bool {
	fe, ok := fault.As(err)
	if !ok || fe.Code != fault.Invalid || len(fe.Fields) == 0 {
		return false
	}
	for _, f := range fe.Fields {
		if f.Field != "expires_at" {
			return false
		}
	}
	return true
}

// Delete implements ports.Links.
func (s *Service) Delete(ctx context.Context, ownerID, id string) error {
	cur, err := s.owned(ctx, ownerID, id)
	if err != nil {
		return err
	}
	if err := s.store.DeleteLink(ctx, id); err != nil {
		return fmt.Errorf("linksvc: delete %s: %w", id, err)
	}
	s.cache.Invalidate(ctx, cur.Alias)
	s.counter.Forget(id)
	return nil
}

// List implements ports.Links.
func (s *Service) List(ctx context.Context, ownerID string) ([]links.Link, error) {
	ls, err := s.store.LinksByOwner(ctx, ownerID)
	if err != nil {
		return nil, fmt.Errorf("linksvc: list: %w", err)
	}
	// This replica's counts not yet flushed; other replicas' reach the
	// store within their flush interval.
	for i := range ls {
		ls[i].Redirects += s.counter.Unflushed(ls[i].ID)
	}
	return ls, nil
}

// UserDeleted implements ports.UserDeletionHook: it deletes every link of
// the user and makes every replica forget them.
func (s *Service) UserDeleted(ctx context.Context, userID string) error {
	ls, err := s.store.LinksByOwner(ctx, userID)
	if err != nil {
		return fmt.Errorf("linksvc: user deleted: %w", err)
	}
	if _, err := s.store.DeleteLinksByOwner(ctx, userID); err != nil {
		return fmt.Errorf("linksvc: user deleted: %w", err)
	}
	for _, l := range ls {
		s.cache.Invalidate(ctx, l.Alias)
		s.counter.Forget(l.ID)
	}
	return nil
}

// owned returns link id if ownerID owns it: fault.NotFound first, then
// fault.Forbidden, so only an existing link's owner is revealed.
func (s *Service) owned(ctx context.Context, ownerID, id string) (links.Link, error) {
	l, err := s.store.LinkByID(ctx, id)
	if err != nil {
		return links.Link{}, fmt.Errorf("linksvc: link %s: %w", id, err)
	}
	if l.OwnerID != ownerID {
		return links.Link{}, links.NotOwner()
	}
	return l, nil
}

// check validates what a user asks for and returns the normalised target;
// every broken rule is reported at once, one field error each.
func (s *Service) check(now time.Time, n ports.NewLink, checkAlias bool) (string, error) {
	target, terr := s.policy.NormalizeTarget(n.Target)
	var aerr error
	if checkAlias {
		aerr = s.policy.ValidateAlias(n.Alias)
	}
	return target, joinInvalid(terr, aerr, links.ValidateLimits(now, n.ExpiresAt, n.MaxRedirects))
}

// joinInvalid merges fault.Invalid errors into one carrying every field
// error, with the first one's reason and message.
func joinInvalid(errs ...error) error {
	var out *fault.Error
	for _, err := range errs {
		fe, ok := fault.As(err)
		if !ok {
			if err != nil {
				return err
			}
			continue
		}
		if out == nil {
			out = &fault.Error{Code: fe.Code, Reason: fe.Reason, Message: fe.Message}
		}
		out.Fields = append(out.Fields, fe.Fields...)
	}
	if out == nil {
		return nil
	}
	return out
}

// now is the clock's time at the millisecond precision every store keeps,
// so a link returned by Create equals the one read back.
func (s *Service) now() time.Time { return millis(s.clock.Now()) }

// millis is t in UTC at millisecond precision; zero stays zero.
func millis(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Millisecond)
}
