package ports

import (
	"context"
	"time"
)

// Cache is the shared, expiring key-value store behind rate limits, one-time
// codes, deny-lists, locks and hot counters. With several replicas every one
// of them sees the same cache.
//
// A ttl of zero means no expiry. Keys are plain strings; adapters may prefix them.
type Cache interface {
	// Get returns the value and true, or nil and false when absent or expired.
	Get(ctx context.Context, key string) ([]byte, bool, error)
	// Set stores a value, replacing any.
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
	// SetNX stores a value only when the key is absent and reports whether
	// it did: of concurrent calls for one key exactly one returns true.
	SetNX(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error)
	// Incr adds delta to the integer at key (absent counts as 0) atomically
	// and returns the new value. ttl applies when the call creates the key;
	// an existing key keeps its expiry. fault.Invalid cache.not_integer when
	// the stored value is not an integer.
	Incr(ctx context.Context, key string, delta int64, ttl time.Duration) (int64, error)
	// Delete removes keys; absent keys are ignored.
	Delete(ctx context.Context, keys ...string) error
	// Ping returns nil when the cache answers.
	Ping(ctx context.Context) error
}
