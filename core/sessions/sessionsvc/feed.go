package sessionsvc

import (
	"context"
	"fmt"
	"sync"
	"time"

	"gatehouse/core/sessions"
)

// The revocation feed. Storage is the source of truth for revocations; the
// shared cache only makes them visible on every replica at once (the
// deny-list key and the dropped opaque entry). A cache can lose them: Redis
// restarted empty, flushed, failed over to an empty replica, or a process
// whose cache is its own memory, which misses revocations written by
// another process on the same store (`gatehouse user block` beside the
// service) or by itself before a restart. So every serving process follows
// the store: every poll reads SessionStore.RevokedSince from a high-water
// mark and applies each family not yet applied, to the cache as a local
// revocation does (deny, then forget) and to the process's own revoked
// set, which Verify reads first and no cache loss can empty. A revocation
// is therefore refused at once on the replica that made it, at once on the
// others while the shared cache holds it, and within one poll everywhere
// whatever happened to the cache.

// DefaultRevocationPoll is how often a serving process should call
// SyncRevocations (the app runs it on that interval): the longest a
// revocation by another process goes unnoticed once the cache lost it.
const DefaultRevocationPoll = time.Second

const (
	// feedOverlap is how far before the newest revocation seen each poll
	// reads again, so that a revocation stamped earlier but written later
	// (a slow write, a writer whose clock lags ours) is still found.
	feedOverlap = 10 * time.Second
	// feedPage is how many families one RevokedSince call asks for.
	feedPage = 256
)

// feed is the revocation feed's state.
type feed struct {
	mu   sync.Mutex           // one poll at a time
	mark time.Time            // newest RevokedAt applied, never past our clock
	seen map[string]time.Time // applied families' RevokedAt, from mark-feedOverlap on

	revoked revokedSet // families whose access tokens may still be live
}

// SyncRevocations applies, once, every revocation the store holds that
// this Service has not applied yet. The first call reaches back one access
// lifetime, so a process started with an empty cache refuses the access
// tokens of sessions revoked before it started. Each family is applied
// once; its own revocations come back through the feed and are applied
// once more, which changes nothing. It returns the store's or the cache's
// error; what was applied before the error stays applied.
func (s *Service) SyncRevocations(ctx context.Context) error {
	s.feed.mu.Lock()
	defer s.feed.mu.Unlock()
	now := s.clock.Now()
	s.feed.revoked.prune(now)
	if s.feed.seen == nil {
		s.feed.seen = map[string]time.Time{}
		s.feed.mark = now.Add(-(s.policy.AccessTTL + sessions.Leeway))
	}
	from := s.feed.mark.Add(-feedOverlap)
	for id, at := range s.feed.seen {
		if at.Before(from) {
			delete(s.feed.seen, id) // RevokedSince(from) cannot return it again
		}
	}
	limit := feedPage
	for {
		fs, err := s.store.RevokedSince(ctx, from, limit)
		if err != nil {
			return fmt.Errorf("sessionsvc: read revocation feed: %w", err)
		}
		for _, f := range fs {
			if err := s.applyRevoked(ctx, f, now); err != nil {
				return err
			}
		}
		if len(fs) < limit {
			return nil
		}
		if last := fs[len(fs)-1].RevokedAt; last.After(from) {
			from = last
		} else {
			// A full page at one instant: only a larger page gets past it.
			limit *= 2
		}
	}
}

// applyRevoked applies a family revoked in the store as revoke does after
// its store write, unless it was applied already. The caller holds feed.mu.
func (s *Service) applyRevoked(ctx context.Context, f sessions.Family, now time.Time) error {
	if _, ok := s.feed.seen[f.ID]; ok {
		return nil
	}
	s.remember(f.ID, f.RevokedAt)
	if err := s.deny(ctx, f.ID); err != nil {
		return err
	}
	if err := s.forget(ctx, f); err != nil {
		return err
	}
	s.feed.seen[f.ID] = f.RevokedAt
	// A writer whose clock runs ahead must not move the mark past ours,
	// or revocations stamped by the others would fall behind the overlap.
	at := f.RevokedAt
	if at.After(now) {
		at = now
	}
	if at.After(s.feed.mark) {
		s.feed.mark = at
	}
	return nil
}
