package linksvc

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// lifecycle is the Service's background work.
type lifecycle struct {
	mu      sync.Mutex
	started bool
	stopped bool
	cancel  context.CancelFunc
	done    sync.WaitGroup
}

// Start subscribes to invalidations and follows them until Stop. It
// returns once the subscription is in place. Flushing counts is the
// caller's to schedule (Flush).
func (s *Service) Start(ctx context.Context) error {
	s.life.mu.Lock()
	defer s.life.mu.Unlock()
	if s.life.started || s.life.stopped {
		return errors.New("linksvc: Start: already started or stopped")
	}
	// The background work outlives Start's ctx (an fx start timeout).
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	msgs, err := s.bus.Subscribe(bg, invalidateChannel)
	if err != nil {
		cancel()
		return fmt.Errorf("linksvc: subscribe to invalidations: %w", err)
	}
	s.life.started, s.life.cancel = true, cancel
	s.life.done.Add(1)
	go func() { defer s.life.done.Done(); s.listen(bg, msgs) }()
	return nil
}

// Stop ends the invalidation listener, then flushes every local count into
// the store, so a graceful stop loses no count. Redirects served after
// Stop are counted in the store directly.
func (s *Service) Stop(ctx context.Context) error {
	s.life.mu.Lock()
	defer s.life.mu.Unlock()
	if s.life.stopped {
		return nil
	}
	s.life.stopped = true
	if s.life.cancel != nil {
		s.life.cancel()
		s.life.done.Wait()
	}
	s.counts.stop()
	if err := s.Flush(ctx); err != nil {
		s.log.Error("links: redirect counts lost at stop", "err", err)
		return err
	}
	return nil
}

// listen applies invalidations until ctx ends. When the subscription ends
// early it subscribes again, and drops every local copy, since
// invalidations may have been missed meanwhile.
func (s *Service) listen(ctx context.Context, msgs <-chan []byte) {
	for {
		for msg := range msgs {
			s.invalidateLocal(ctx, string(msg))
		}
		if ctx.Err() != nil {
			return
		}
		s.log.Warn("links: invalidation subscription ended; subscribing again")
		msgs = s.resubscribe(ctx)
		if msgs == nil {
			return
		}
		s.purgeLocal()
	}
}

// resubscribe retries Subscribe every second until it works or ctx ends
// (then nil).
func (s *Service) resubscribe(ctx context.Context) <-chan []byte {
	for {
		msgs, err := s.bus.Subscribe(ctx, invalidateChannel)
		if err == nil {
			return msgs
		}
		s.log.Warn("links: subscribe to invalidations", "err", err)
		t := time.NewTimer(time.Second)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}
