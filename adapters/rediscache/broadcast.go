package rediscache

import (
	"context"

	"github.com/redis/go-redis/v9"

	"gatehouse/ports"
)

var _ ports.Broadcaster = (*Broadcaster)(nil)

// subscriberBuffer is how many messages a subscriber may fall behind
// before further ones are dropped for it (delivery is at most once).
const subscriberBuffer = 256

// Broadcaster is a ports.Broadcaster on Redis PUBLISH/SUBSCRIBE: every
// replica connected to the same Redis (and key prefix) hears every
// message. Channels are named Prefix+channel, so deployments sharing one
// Redis under different prefixes do not hear each other.
//
// Redis Pub/Sub keeps nothing: a replica that is disconnected when a
// message is published misses it, which the port allows.
type Broadcaster struct {
	client redis.UniversalClient
	prefix string
}

// NewBroadcaster returns a Broadcaster on c's connection and prefix. Closing
// c ends every subscription.
func NewBroadcaster(c *Cache) *Broadcaster {
	return &Broadcaster{client: c.client, prefix: c.prefix}
}

// Publish implements ports.Broadcaster.
func (b *Broadcaster) Publish(ctx context.Context, channel string, msg []byte) error {
	if err := b.client.Publish(ctx, b.prefix+channel, msg).Err(); err != nil {
		return unavailable("publish", err)
	}
	return nil
}

// Subscribe implements ports.Broadcaster. It returns once Redis has
// confirmed the subscription, so every message published afterwards
// reaches it.
func (b *Broadcaster) Subscribe(ctx context.Context, channel string) (<-chan []byte, error) {
	ps := b.client.Subscribe(ctx, b.prefix+channel)
	if _, err := ps.Receive(ctx); err != nil { // the subscription confirmation
		_ = ps.Close()
		return nil, unavailable("subscribe", err)
	}
	in := ps.Channel(redis.WithChannelSize(subscriberBuffer))
	out := make(chan []byte, subscriberBuffer)
	go func() {
		defer close(out)
		defer ps.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-in:
				if !ok {
					return
				}
				select {
				case out <- []byte(m.Payload):
				default: // the subscriber is behind: drop, never block Redis's reader
				}
			}
		}
	}()
	return out, nil
}
