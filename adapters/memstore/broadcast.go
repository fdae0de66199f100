package memstore

import (
	"bytes"
	"context"
	"sync"

	"gatehouse/ports"
)

var _ ports.Broadcaster = (*Broadcaster)(nil)

// subscriberBuffer is how many messages a subscriber may fall behind
// before further ones are dropped for it (delivery is at most once).
const subscriberBuffer = 256

// Broadcaster is an in-process ports.Broadcaster: it fans messages out to
// the subscribers of this process, which in a single-replica deployment
// are all of them. Publish never blocks on a slow subscriber.
type Broadcaster struct {
	mu   sync.RWMutex
	subs map[string]map[*subscriber]struct{} // channel -> subscribers
}

type subscriber struct{ ch chan []byte }

// NewBroadcaster returns a Broadcaster without subscribers.
func NewBroadcaster() *Broadcaster {
	return &Broadcaster{subs: map[string]map[*subscriber]struct{}{}}
}

// Publish implements ports.Broadcaster. A subscriber whose buffer is full
// misses the message.
func (b *Broadcaster) Publish(_ context.Context, channel string, msg []byte) error {
	b.mu.RLock()
	defer b.mu.RUnlock()
	for sub := range b.subs[channel] {
		select {
		case sub.ch <- bytes.Clone(nonNil(msg)):
		default:
		}
	}
	return nil
}

// Subscribe implements ports.Broadcaster.
func (b *Broadcaster) Subscribe(ctx context.Context, channel string) (<-chan []byte, error) {
	sub := &subscriber{ch: make(chan []byte, subscriberBuffer)}
	b.mu.Lock()
	set := b.subs[channel]
	if set == nil {
		set = map[*subscriber]struct{}{}
		b.subs[channel] = set
	}
	set[sub] = struct{}{}
	b.mu.Unlock()
	go func() {
		<-ctx.Done()
		b.mu.Lock()
		// Publish sends under the read lock, so once removed under the
		// write lock no send can reach the channel being closed.
		delete(set, sub)
		if len(set) == 0 {
			delete(b.subs, channel)
		}
		b.mu.Unlock()
		close(sub.ch)
	}()
	return sub.ch, nil
}
