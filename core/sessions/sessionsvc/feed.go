package sessionsvc

import (
	"context"
	"errors"
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

// DefaultRevocationPoll is how often the revocation feed reads the store
// when Deps.RevocationPoll is zero: the longest a revocation by another
// process goes unnoticed.
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

	life    sync.Mutex
	started bool
	stopped bool
	cancel  context.CancelFunc
	done    sync.WaitGroup
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

// StartRevocationFeed syncs once, so the deny-list is complete before the
// caller serves, then syncs every Deps.RevocationPoll until
// StopRevocationFeed. Start it only where the cache is the process's own.
// A failed first sync is returned and nothing runs; later failures are
// logged and retried at the next poll.
func (s *Service) StartRevocationFeed(ctx context.Context) error {
	s.feed.life.Lock()
	defer s.feed.life.Unlock()
	if s.feed.started || s.feed.stopped {
		return errors.New("sessionsvc: StartRevocationFeed: already started or stopped")
	}
	if err := s.SyncRevocations(ctx); err != nil {
		return err
	}
	// The polling outlives Start's ctx (an fx start timeout).
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.feed.started, s.feed.cancel = true, cancel
	s.feed.done.Add(1)
	go func() {
		defer s.feed.done.Done()
		s.followRevocations(bg)
	}()
	return nil
}

// StopRevocationFeed ends the polling and waits for a poll in flight. It
// is idempotent; the feed cannot be started again.
func (s *Service) StopRevocationFeed(context.Context) error {
	s.feed.life.Lock()
	defer s.feed.life.Unlock()
	s.feed.stopped = true
	if s.feed.cancel != nil {
		s.feed.cancel()
		s.feed.done.Wait()
		s.feed.cancel = nil
	}
	return nil
}

// followRevocations syncs every s.poll until ctx ends.
func (s *Service) followRevocations(ctx context.Context) {
	tick := time.NewTicker(s.poll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if err := s.SyncRevocations(ctx); err != nil && ctx.Err() == nil {
			s.log.WarnContext(ctx, "sessions: revocation feed", "err", err)
		}
	}
}
