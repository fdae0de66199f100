// Package usercache is a read-through cache in front of any ports.UserStore:
// reads by ID and by Number (what a signed-in request reads) are served
// from process memory, and every write
// through it drops the copies of the user it changed here at once and, over
// a ports.Broadcaster, on every other replica. It is itself a
// ports.UserStore, so the use cases do not know it is there.
//
// How fresh a copy is:
//   - A write through any replica's Store: dropped here before the write
//     returns, on the other replicas when the broadcast reaches them.
//   - A copy read before a write but filled after the write's broadcast is
//     refused: the broadcast carries the user's new Version, and no copy of
//     an older one is kept while that floor lasts.
//   - A writer outside the broadcast (a command beside the service on a
//     process-memory broadcaster) or a broadcast lost in transit: a copy is
//     served for at most TTL after it was read (1 s by default, the same
//     bound the revocation feed gives sessions).
//   - A lost subscription drops every copy and serves from the store until
//     the subscription is back; nothing is cached while not subscribed.
package usercache

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

var _ ports.UserStore = (*Store)(nil)

// Defaults for Options.
const (
	DefaultSize = 10000
	DefaultTTL  = time.Second
)

// channel is the broadcast channel of user invalidations.
const channel = "users:invalidate"

// Options tune a Store; zero values take the defaults.
type Options struct {
	Size int           // most users held; DefaultSize when 0
	TTL  time.Duration // longest a copy is served after it was read; DefaultTTL when 0
	Log  *slog.Logger  // nil: discard
}

// Store is a caching ports.UserStore. It caches only between Start and
// Stop, while its subscription to invalidations holds; otherwise every
// call goes to the store it wraps. Safe for concurrent use.
type Store struct {
	next  ports.UserStore
	bus   ports.Broadcaster
	clock ports.Clock
	log   *slog.Logger
	local *local
	sub   *ports.Subscription
}

// New returns a Store in front of next that tells every replica of its
// writes over bus.
func New(next ports.UserStore, bus ports.Broadcaster, clock ports.Clock, o Options) (*Store, error) {
	switch {
	case next == nil:
		return nil, errors.New("usercache: store is required")
	case bus == nil:
		return nil, errors.New("usercache: broadcaster is required")
	case clock == nil:
		return nil, errors.New("usercache: clock is required")
	case o.Size < 0 || o.TTL < 0:
		return nil, fmt.Errorf("usercache: size %d and ttl %s must not be negative", o.Size, o.TTL)
	}
	if o.Size == 0 {
		o.Size = DefaultSize
	}
	if o.TTL == 0 {
		o.TTL = DefaultTTL
	}
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Store{next: next, bus: bus, clock: clock, log: log, local: newLocal(o.Size, o.TTL)}
	s.sub = s.subscription()
	return s, nil
}

// ByID implements ports.UserStore.
func (s *Store) ByID(ctx context.Context, id string) (identity.User, error) {
	return s.read(ctx, handle{kind: kindID, value: id}, func() (identity.User, error) { return s.next.ByID(ctx, id) })
}

// ByNumber implements ports.UserStore.
func (s *Store) ByNumber(ctx context.Context, n int64) (identity.User, error) {
	return s.read(ctx, numberHandle(n), func() (identity.User, error) { return s.next.ByNumber(ctx, n) })
}

// ByLogin implements ports.UserStore. Lookups by login, email and phone
// are what sign-in, recovery and registration decide on (password hash,
// status); they are never on a signed-in request's path and cost little
// beside a password check, so they always read the store.
func (s *Store) ByLogin(ctx context.Context, login string) (identity.User, error) {
	return s.next.ByLogin(ctx, login)
}

// ByEmail implements ports.UserStore; it always reads the store (see ByLogin).
func (s *Store) ByEmail(ctx context.Context, email string) (identity.User, error) {
	return s.next.ByEmail(ctx, email)
}

// ByPhone implements ports.UserStore; it always reads the store (see ByLogin).
func (s *Store) ByPhone(ctx context.Context, phone string) (identity.User, error) {
	return s.next.ByPhone(ctx, phone)
}

// ByTelegramID implements ports.UserStore; it always reads the store (see
// ByLogin): the bot and Telegram sign-in decide on it.
func (s *Store) ByTelegramID(ctx context.Context, id int64) (identity.User, error) {
	return s.next.ByTelegramID(ctx, id)
}

// read serves h from memory, else from load, keeping what load returns
// unless it was overtaken meanwhile (see local.fill).
func (s *Store) read(ctx context.Context, h handle, load func() (identity.User, error)) (identity.User, error) {
	now := s.clock.Now()
	if u, ok := s.local.get(h, now); ok {
		return u, nil
	}
	gen, caching := s.local.begin()
	u, err := load()
	if err != nil {
		return identity.User{}, err
	}
	if caching {
		s.local.fill(u, gen, now)
	}
	return u, nil
}

// Create implements ports.UserStore. A new user has no copies to drop.
func (s *Store) Create(ctx context.Context, u identity.User) (identity.User, error) {
	return s.next.Create(ctx, u)
}

// Update implements ports.UserStore. Once the store took it, every copy of
// the user goes, here and on every replica, and none older than the new
// Version is kept. A stale_user conflict drops this replica's copy too: it
// proves the copy was behind.
func (s *Store) Update(ctx context.Context, u identity.User) error {
	err := s.next.Update(ctx, u)
	switch {
	case err == nil:
		s.invalidate(ctx, u.ID, u.Version+1)
	case fault.Is(err, fault.Conflict):
		s.local.drop(u.ID, 0, s.clock.Now())
	}
	return err
}

// Delete implements ports.UserStore: the user is never cached again while
// the floor lasts.
func (s *Store) Delete(ctx context.Context, id string) error {
	err := s.next.Delete(ctx, id)
	if err == nil || fault.Is(err, fault.NotFound) {
		s.invalidate(ctx, id, math.MaxInt64)
	}
	return err
}

// List implements ports.UserStore; listings are not cached.
func (s *Store) List(ctx context.Context, offset, limit int) ([]identity.User, error) {
	return s.next.List(ctx, offset, limit)
}

// invalidate drops the user's copies here, then tells the other replicas.
// The store is already changed, so a failed publish is logged, not
// returned: the other replicas' copies expire within the TTL.
func (s *Store) invalidate(ctx context.Context, id string, version int64) {
	s.local.drop(id, version, s.clock.Now())
	if err := s.bus.Publish(ctx, channel, encodeInvalidation(id, version)); err != nil {
		s.log.Warn("users: publish invalidation", "user", id, "err", err)
	}
}
