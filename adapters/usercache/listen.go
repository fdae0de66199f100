package usercache

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// lifecycle is the Store's subscription.
type lifecycle struct {
	mu      sync.Mutex
	started bool
	stopped bool
	cancel  context.CancelFunc
	done    sync.WaitGroup
}

// Start subscribes to invalidations and starts caching. It returns once the
// subscription is in place; it holds until Stop.
func (s *Store) Start(ctx context.Context) error {
	s.life.mu.Lock()
	defer s.life.mu.Unlock()
	if s.life.started || s.life.stopped {
		return errors.New("usercache: Start: already started or stopped")
	}
	// The subscription outlives Start's ctx (an fx start timeout).
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	msgs, err := s.bus.Subscribe(bg, channel)
	if err != nil {
		cancel()
		return fmt.Errorf("usercache: subscribe to invalidations: %w", err)
	}
	s.local.setSubscribed(true)
	s.life.started, s.life.cancel = true, cancel
	s.life.done.Add(1)
	go func() { defer s.life.done.Done(); s.listen(bg, msgs) }()
	return nil
}

// Stop ends the subscription and the caching; reads go to the store.
func (s *Store) Stop(context.Context) error {
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
	s.local.setSubscribed(false)
	return nil
}

// listen applies invalidations until ctx ends. When the subscription ends
// early, invalidations may have been missed: every copy goes, nothing is
// cached until it subscribes again, and the first fills after that come
// from reads begun afterwards.
func (s *Store) listen(ctx context.Context, msgs <-chan []byte) {
	for {
		for msg := range msgs {
			id, version, ok := decodeInvalidation(msg)
			if !ok {
				s.log.Warn("users: undecodable invalidation", "msg", string(msg))
				continue
			}
			s.local.drop(id, version, s.clock.Now())
		}
		if ctx.Err() != nil {
			return
		}
		s.log.Warn("users: invalidation subscription ended; subscribing again")
		s.local.setSubscribed(false)
		if msgs = s.resubscribe(ctx); msgs == nil {
			return
		}
		s.local.setSubscribed(true)
	}
}

// resubscribe retries Subscribe every second until it works or ctx ends (nil).
func (s *Store) resubscribe(ctx context.Context) <-chan []byte {
	for {
		msgs, err := s.bus.Subscribe(ctx, channel)
		if err == nil {
			return msgs
		}
		s.log.Warn("users: subscribe to invalidations", "err", err)
		t := time.NewTimer(time.Second)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// encodeInvalidation is the message that user id changed to version.
func encodeInvalidation(id string, version int64) []byte {
	return []byte(strconv.FormatInt(version, 10) + " " + id)
}

// decodeInvalidation reads encodeInvalidation's message.
func decodeInvalidation(msg []byte) (id string, version int64, ok bool) {
	v, id, found := strings.Cut(string(msg), " ")
	if !found || id == "" {
		return "", 0, false
	}
	version, err := strconv.ParseInt(v, 10, 64)
	if err != nil || version < 1 {
		return "", 0, false
	}
	return id, version, true
}
