package ports

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Subscription follows one channel of a Broadcaster for as long as it
// runs: the one way gatehouse consumes invalidations, whoever caches. Every
// message goes to Deliver. When the subscription ends early, messages may
// have been missed: Lost is called, Subscribe is tried again every Retry
// until it works, and then Resumed is called. Start returns once the first
// subscription is in place; Stop ends it and waits for the follower.
type Subscription struct {
	Bus     Broadcaster
	Channel string
	Deliver func(ctx context.Context, msg []byte)
	Lost    func() // nil: nothing to do
	Resumed func() // nil: nothing to do
	Retry   time.Duration
	Log     *slog.Logger // nil: discard

	mu      sync.Mutex
	started bool
	stopped bool
	cancel  context.CancelFunc
	done    sync.WaitGroup
}

// Start subscribes and follows the channel in the background until Stop.
// The subscription outlives ctx, which only bounds the first Subscribe.
func (s *Subscription) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started || s.stopped {
		return errors.New("ports: Subscription.Start: already started or stopped")
	}
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	msgs, err := s.Bus.Subscribe(bg, s.Channel)
	if err != nil {
		cancel()
		return fmt.Errorf("subscribe to %s: %w", s.Channel, err)
	}
	s.started, s.cancel = true, cancel
	s.done.Add(1)
	go func() { defer s.done.Done(); s.follow(bg, msgs) }()
	return nil
}

// Stop ends the subscription and waits for the follower; it is idempotent
// and the subscription cannot be started again.
func (s *Subscription) Stop(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return nil
	}
	s.stopped = true
	if s.cancel != nil {
		s.cancel()
		s.done.Wait()
	}
	return nil
}

// follow delivers messages until ctx ends, subscribing again when the
// subscription ends early.
func (s *Subscription) follow(ctx context.Context, msgs <-chan []byte) {
	for {
		for msg := range msgs {
			s.Deliver(ctx, msg)
		}
		if ctx.Err() != nil {
			return
		}
		s.log().Warn("subscription ended; subscribing again", "channel", s.Channel)
		if s.Lost != nil {
			s.Lost()
		}
		if msgs = s.resubscribe(ctx); msgs == nil {
			return
		}
		if s.Resumed != nil {
			s.Resumed()
		}
	}
}

// resubscribe retries Subscribe every Retry (a second when unset) until it
// works or ctx ends (then nil).
func (s *Subscription) resubscribe(ctx context.Context) <-chan []byte {
	retry := s.Retry
	if retry <= 0 {
		retry = time.Second
	}
	for {
		msgs, err := s.Bus.Subscribe(ctx, s.Channel)
		if err == nil {
			return msgs
		}
		s.log().Warn("subscribe", "channel", s.Channel, "err", err)
		t := time.NewTimer(retry)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

func (s *Subscription) log() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
}
