package linksvc

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gatehouse/core/fault"
)

// flush adds every local count to its link's pending counter in the shared
// cache. A count that could not be added is kept locally for the next
// flush.
func (s *Service) flush(ctx context.Context) error {
	var errs []error
	for id, n := range s.counts.drain() {
		if _, err := s.cache.Incr(ctx, pendingKey(id), n, 0); err != nil {
			s.counts.give(id, n)
			errs = append(errs, fmt.Errorf("linksvc: flush %d redirects of %s: %w", n, id, err))
			continue
		}
		s.dirty.add(id)
	}
	return errors.Join(errs...)
}

// fold moves the pending counts of the links this replica knows about
// into the store. With wait it waits for a fold lock another replica
// holds (Stop must not leave counts behind); without, it tries again on
// the next round.
func (s *Service) fold(ctx context.Context, wait bool) error {
	var errs []error
	for _, id := range s.dirty.take() {
		done, err := s.foldOne(ctx, id, wait)
		if err != nil {
			errs = append(errs, err)
		}
		if !done {
			s.dirty.add(id)
		}
	}
	return errors.Join(errs...)
}

// foldOne moves id's pending count into the store under the fold lock, so
// one writer moves each count exactly once: read n, add n to the store,
// take n off the pending counter (redirects counted meanwhile stay). It
// reports whether nothing of id is left to fold by this call's knowledge.
//
// Between the store write and the decrement a reader sees n twice (List,
// the max_redirects check): an over-count for one round trip, never an
// under-count. A crash exactly there double-counts n; the other order
// would lose n instead, and a lost count also lets a link overrun its
// max_redirects.
func (s *Service) foldOne(ctx context.Context, id string, wait bool) (bool, error) {
	n, err := s.pending(ctx, id)
	if err != nil || n <= 0 {
		return err == nil, err
	}
	locked, err := s.lockFold(ctx, id, wait)
	if err != nil || !locked {
		return false, err
	}
	defer func() {
		// Released even when ctx ended, or the link waits foldLockTTL.
		if err := s.cache.Delete(context.WithoutCancel(ctx), foldKey(id)); err != nil {
			s.log.Warn("links: release fold lock", "link", id, "err", err)
		}
	}()
	if n, err = s.pending(ctx, id); err != nil || n <= 0 {
		return err == nil, err
	}
	if err := s.store.AddRedirects(ctx, id, n); err != nil {
		return false, fmt.Errorf("linksvc: fold %d redirects of %s: %w", n, id, err)
	}
	// The store holds n now: taking them off pending must not be given up
	// because ctx ended, or the next fold would add them again.
	if _, err := s.cache.Incr(context.WithoutCancel(ctx), pendingKey(id), -n, 0); err != nil {
		s.log.Error("links: folded redirects still pending; they will be counted twice",
			"link", id, "n", n, "err", err)
		return true, fmt.Errorf("linksvc: fold %s: take %d off pending: %w", id, n, err)
	}
	return true, nil
}

// lockFold takes id's fold lock. With wait it retries until the holder
// releases it, the lock lapses or ctx ends.
func (s *Service) lockFold(ctx context.Context, id string, wait bool) (bool, error) {
	delay := 5 * time.Millisecond
	for {
		ok, err := s.cache.SetNX(ctx, foldKey(id), []byte("1"), foldLockTTL)
		if err != nil {
			return false, fmt.Errorf("linksvc: fold lock of %s: %w", id, err)
		}
		if ok || !wait {
			return ok, nil
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return false, fmt.Errorf("linksvc: waiting for the fold lock of %s: %w", id, ctx.Err())
		case <-t.C:
		}
		delay = min(2*delay, 200*time.Millisecond)
	}
}

// pending reads id's pending count in the shared cache (0 when absent).
func (s *Service) pending(ctx context.Context, id string) (int64, error) {
	v, ok, err := s.cache.Get(ctx, pendingKey(id))
	if err != nil || !ok {
		return 0, err
	}
	n, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return 0, fault.Wrap(err, fault.Internal, "links.pending_corrupt", "")
	}
	return n, nil
}

// unfolded is what id has served beyond its stored count: pending in the
// shared cache plus this replica's unflushed count. A link whose pending
// count nobody is folding (its replica stopped before flushing to it) is
// picked up here.
func (s *Service) unfolded(ctx context.Context, id string) (int64, error) {
	n, err := s.pending(ctx, id)
	if err != nil {
		return 0, err
	}
	if n > 0 {
		s.dirty.add(id)
	}
	return max(n, 0) + s.counts.get(id), nil
}
