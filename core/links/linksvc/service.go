// Package linksvc implements the link use cases (ports.Links): creating,
// changing and listing short links, and the redirect hot path.
//
// Resolve reads through three tiers: an in-process cache of links, the
// shared cache (every replica's), and the store. Changing or deleting a
// link drops it from the shared cache and broadcasts its alias, so every
// replica drops its in-process copy too; entries also expire after
// localTTL, which bounds staleness when a broadcast is lost.
//
// Redirects are counted exactly and durably: each replica counts in local
// atomic counters and Flush adds them to the stored counts (one atomic
// increment per link); run every DefaultFlushEvery, a crash of the process
// loses at most that interval's counts and a loss of the cache none. A link with a
// redirect budget is counted in the store at once, in the step that checks
// the budget. Stop flushes everything, so after every replica has stopped
// gracefully the stored counts equal the redirects served.
package linksvc

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/links"
	"gatehouse/ports"
)

var (
	_ ports.Links            = (*Service)(nil)
	_ ports.UserDeletionHook = (*Service)(nil)
)

const (
	// DefaultLRUSize is how many links each replica keeps in process.
	DefaultLRUSize = 10_000
	// DefaultFlushEvery is how often the app should Flush: the most counts
	// a crash of the process can lose.
	DefaultFlushEvery = time.Second

	// sharedTTL is how long the shared cache keeps a link's copy.
	sharedTTL = time.Hour
	// localTTL bounds how long a replica serves its copy of a link when an
	// invalidation broadcast was lost (delivery is at most once).
	localTTL = time.Minute
	// createAttempts bounds the draws of a fresh generated alias or ID.
	createAttempts = 5
	// aliasDraws bounds the redraws of one generated alias.
	aliasDraws = 20
	// invalidateChannel carries the aliases whose copies are stale.
	invalidateChannel = "links:invalidate"
)

// Deps are what the Service needs.
type Deps struct {
	Store   ports.LinkStore
	Cache   ports.Cache       // shared by every replica: link copies
	Bus     ports.Broadcaster // reaches every replica: invalidations
	Clock   ports.Clock
	Random  io.Reader // cryptographically secure, e.g. crypto/rand.Reader
	Policy  links.Policy
	Log     *slog.Logger // nil: discard
	LRUSize int          // links kept in process; 0 means DefaultLRUSize
}

// Service implements ports.Links and ports.UserDeletionHook. It is safe for
// concurrent use. Start begins its background work and Stop ends it,
// flushing every count.
type Service struct {
	store  ports.LinkStore
	cache  ports.Cache
	bus    ports.Broadcaster
	clock  ports.Clock
	random io.Reader
	policy links.Policy
	log    *slog.Logger

	local    *localCache
	counts   *counters
	epoch    atomic.Uint64 // bumped by every invalidation, see fill
	fillMu   sync.RWMutex  // orders fills against invalidations
	randomMu sync.Mutex    // io.Reader is not safe for concurrent use

	life lifecycle
}

// New returns a Service, or an error naming the missing dependency or the
// broken policy rule.
func New(d Deps) (*Service, error) {
	switch {
	case d.Store == nil:
		return nil, errors.New("linksvc: store is required")
	case d.Cache == nil:
		return nil, errors.New("linksvc: cache is required")
	case d.Bus == nil:
		return nil, errors.New("linksvc: broadcaster is required")
	case d.Clock == nil:
		return nil, errors.New("linksvc: clock is required")
	case d.Random == nil:
		return nil, errors.New("linksvc: random source is required")
	case d.LRUSize < 0:
		return nil, fmt.Errorf("linksvc: LRU size %d is negative", d.LRUSize)
	}
	p := d.Policy.WithDefaults()
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("linksvc: %w", err)
	}
	log := d.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	size := d.LRUSize
	if size == 0 {
		size = DefaultLRUSize
	}
	return &Service{
		store: d.Store, cache: d.Cache, bus: d.Bus, clock: d.Clock, random: d.Random,
		policy: p, log: log,
		local: newLocalCache(size), counts: newCounters(),
	}, nil
}

// read fills b from the random source.
func (s *Service) read(b []byte) error {
	s.randomMu.Lock()
	defer s.randomMu.Unlock()
	if _, err := io.ReadFull(s.random, b); err != nil {
		return fault.Wrap(err, fault.Internal, "links.random", "")
	}
	return nil
}

// newID draws a fresh link ID.
func (s *Service) newID() (string, error) {
	var b [links.IDBytes]byte
	if err := s.read(b[:]); err != nil {
		return "", err
	}
	return links.NewID(b[:])
}

// newAlias draws a fresh generated alias, drawing again in the rare case
// the bytes ran short or spelled a word the policy reserves.
func (s *Service) newAlias() (string, error) {
	b := make([]byte, links.AliasRandomBytes(s.policy.AliasLength))
	for range aliasDraws {
		if err := s.read(b); err != nil {
			return "", err
		}
		a, err := links.NewAlias(b, s.policy.AliasLength)
		if err == nil && s.policy.Reserves(a) { // one of this deployment's words
			err = links.ErrReservedAlias
		}
		if errors.Is(err, links.ErrShortRandom) || errors.Is(err, links.ErrReservedAlias) {
			continue
		}
		return a, err
	}
	// Only a broken random source fails this often.
	return "", fault.New(fault.Internal, "links.random", "")
}

func aliasKey(alias string) string { return "links:alias:" + alias }
