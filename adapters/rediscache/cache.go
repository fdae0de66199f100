// Package rediscache implements ports.Cache on Redis (one server, Sentinel
// or Cluster) with go-redis, so every gatehouse replica sees the same rate
// limits, one-time codes, deny-lists and locks.
package rediscache

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"gatehouse/core/fault"
	"gatehouse/ports"
)

var _ ports.Cache = (*Cache)(nil)

// Cache is a ports.Cache on Redis. Every key is stored as Prefix+key.
type Cache struct {
	client redis.UniversalClient
	prefix string
}

// Get implements ports.Cache.
func (c *Cache) Get(ctx context.Context, key string) ([]byte, bool, error) {
	v, err := c.client.Get(ctx, c.prefix+key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, unavailable("get", err)
	}
	return v, true, nil
}

// Set implements ports.Cache.
func (c *Cache) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := c.client.Set(ctx, c.prefix+key, value, expiration(ttl)).Err(); err != nil {
		return unavailable("set", err)
	}
	return nil
}

// SetNX implements ports.Cache.
func (c *Cache) SetNX(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	ok, err := c.client.SetNX(ctx, c.prefix+key, value, expiration(ttl)).Result()
	if err != nil {
		return false, unavailable("setnx", err)
	}
	return ok, nil
}

// Incr implements ports.Cache. SET NX and INCRBY run in one MULTI, so a
// counter is created with its ttl atomically and an existing one keeps its
// expiry; no script is needed, and results stay exact int64 (Lua numbers
// are doubles).
func (c *Cache) Incr(ctx context.Context, key string, delta int64, ttl time.Duration) (int64, error) {
	k := c.prefix + key
	var incr *redis.IntCmd
	_, err := c.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		if ttl > 0 {
			p.SetNX(ctx, k, "0", expiration(ttl))
		}
		incr = p.IncrBy(ctx, k, delta)
		return nil
	})
	if incr != nil && incr.Err() != nil {
		err = incr.Err()
	}
	if err != nil {
		return 0, incrError(err)
	}
	return incr.Val(), nil
}

// Delete implements ports.Cache. One DEL per key, pipelined, so keys in
// different Cluster slots never meet in one command (CROSSSLOT).
func (c *Cache) Delete(ctx context.Context, keys ...string) error {
	if len(keys) == 0 {
		return nil
	}
	_, err := c.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, k := range keys {
			p.Del(ctx, c.prefix+k)
		}
		return nil
	})
	if err != nil {
		return unavailable("delete", err)
	}
	return nil
}

// Ping implements ports.Cache.
func (c *Cache) Ping(ctx context.Context) error {
	if err := c.client.Ping(ctx).Err(); err != nil {
		return unavailable("ping", err)
	}
	return nil
}

// Close releases the connections.
func (c *Cache) Close() error {
	if err := c.client.Close(); err != nil {
		return fmt.Errorf("rediscache: close: %w", err)
	}
	return nil
}

// expiration maps a port ttl to go-redis's: zero or less is no expiry (a
// negative value would mean KEEPTTL to go-redis), and Redis counts whole
// milliseconds, so a positive ttl is at least one.
func expiration(ttl time.Duration) time.Duration {
	switch {
	case ttl <= 0:
		return 0
	case ttl < time.Millisecond:
		return time.Millisecond
	}
	return ttl
}

// incrError classifies an INCRBY failure. Redis reports these only as
// error text, so the text is read here, at the edge, and nowhere else.
func incrError(err error) error {
	var rerr redis.Error
	if errors.As(err, &rerr) {
		msg := rerr.Error()
		switch {
		case strings.Contains(msg, "not an integer"):
			return fault.Wrap(err, fault.Invalid, "cache.not_integer", "The cached value is not an integer.")
		case strings.Contains(msg, "overflow"):
			return fault.Wrap(err, fault.Invalid, "cache.overflow", "The counter would overflow.")
		}
	}
	return unavailable("incr", err)
}

// unavailable classifies a failed Redis call: the cache is a dependency
// that did not answer as it should.
func unavailable(op string, err error) error {
	return fault.Wrap(fmt.Errorf("rediscache: %s: %w", op, err), fault.Unavailable, "cache.unavailable", "The cache is unavailable.")
}
