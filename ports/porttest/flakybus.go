package porttest

import (
	"context"
	"sync"

	"gatehouse/ports"
)

// FlakyBus is a broadcaster whose subscriptions a test can cut, as a lost
// connection does, and whose Subscribe calls after the first wait until
// Release: the tests of whatever follows invalidations use it.
type FlakyBus struct {
	ports.Broadcaster
	mu      sync.Mutex
	cut     []context.CancelFunc
	first   bool
	calls   chan struct{} // one value per Subscribe call
	release chan struct{}
}

// NewFlakyBus wraps b.
func NewFlakyBus(b ports.Broadcaster) *FlakyBus {
	return &FlakyBus{Broadcaster: b, calls: make(chan struct{}, 8), release: make(chan struct{})}
}

// Subscribe implements ports.Broadcaster.
func (f *FlakyBus) Subscribe(ctx context.Context, channel string) (<-chan []byte, error) {
	f.mu.Lock()
	again := f.first
	f.first = true
	f.mu.Unlock()
	f.calls <- struct{}{}
	if again {
		select {
		case <-f.release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	sub, cancel := context.WithCancel(ctx)
	f.mu.Lock()
	f.cut = append(f.cut, cancel)
	f.mu.Unlock()
	return f.Broadcaster.Subscribe(sub, channel)
}

// Subscribed receives one value per Subscribe call.
func (f *FlakyBus) Subscribed() <-chan struct{} { return f.calls }

// CutAll ends every subscription, as a lost connection does.
func (f *FlakyBus) CutAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, cancel := range f.cut {
		cancel()
	}
}

// Release lets the held-back Subscribe calls through, once.
func (f *FlakyBus) Release() { close(f.release) }
