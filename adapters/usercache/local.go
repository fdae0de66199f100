package usercache

import (
	"slices"
	"strconv"
	"sync"
	"time"

	"gatehouse/core/identity"
)

// kind is what a handle names a user by.
type kind uint8

const (
	kindID kind = iota
	kindNumber
)

// handle is one way to find a user.
type handle struct {
	kind  kind
	value string
}

func numberHandle(n int64) handle { return handle{kind: kindNumber, value: strconv.FormatInt(n, 10)} }

// names reports whether u is the user h names.
func names(u identity.User, h handle) bool {
	if h.kind == kindID {
		return u.ID == h.value
	}
	return strconv.FormatInt(u.Number, 10) == h.value
}

// entry is one cached user.
type entry struct {
	user  identity.User
	until time.Time // served until then: read time + TTL
	key   handle    // its index entry: its Number
}

// floor is the lowest Version of a user that may be cached until `until`.
type floor struct {
	version int64
	until   time.Time
}

// local is the in-process cache.
type local struct {
	mu         sync.RWMutex
	max        int
	ttl        time.Duration
	subscribed bool
	gen        uint64 // bumped whenever copies may have been missed: a read begun before must not fill
	users      map[string]*entry
	index      map[handle]string // Number -> user ID
	floors     map[string]floor  // user ID -> versions refused, after a write
}

func newLocal(max int, ttl time.Duration) *local {
	return &local{max: max, ttl: ttl, users: map[string]*entry{}, index: map[handle]string{}, floors: map[string]floor{}}
}

// get returns a copy of the user h names, when held and fresh at now.
func (l *local) get(h handle, now time.Time) (identity.User, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	id := h.value
	if h.kind != kindID {
		id = l.index[h]
	}
	e, ok := l.users[id]
	if !ok || !now.Before(e.until) || !names(e.user, h) {
		return identity.User{}, false
	}
	return clone(e.user), true
}

// begin starts a read: it returns the generation to pass to fill and
// whether its result may be cached at all.
func (l *local) begin() (uint64, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.gen, l.subscribed
}

// fill caches u, read from the store from `read` on in generation gen,
// unless it was overtaken: the generation changed (copies were purged
// meanwhile), a write announced a newer Version than u's (its floor), or
// a newer copy is held already.
func (l *local) fill(u identity.User, gen uint64, read time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.subscribed || gen != l.gen {
		return
	}
	if f, ok := l.floors[u.ID]; ok && read.Before(f.until) && u.Version < f.version {
		return
	}
	if e, ok := l.users[u.ID]; ok {
		if e.user.Version > u.Version {
			return
		}
		l.remove(u.ID, e)
	}
	if len(l.users) >= l.max {
		l.evict(read)
	}
	e := &entry{user: clone(u), until: read.Add(l.ttl), key: numberHandle(u.Number)}
	l.users[u.ID] = e
	l.index[e.key] = u.ID
}

// drop removes the copy of user id unless it has version already, and
// refuses copies older than version for a TTL: as long as a copy read
// before the write could be served. version 0 drops whatever is held.
func (l *local) drop(id string, version int64, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, ok := l.users[id]; ok && (version == 0 || e.user.Version < version) {
		l.remove(id, e)
	}
	if version == 0 {
		return
	}
	if f, ok := l.floors[id]; ok && f.version >= version && now.Before(f.until) {
		return
	}
	_, present := l.floors[id]
	if !present && len(l.floors) >= l.max {
		for k, f := range l.floors {
			if !now.Before(f.until) {
				delete(l.floors, k)
			}
		}
	}
	if !present && len(l.floors) >= l.max {
		// More writes within a TTL than floors fit: refuse every read in
		// flight instead, which is as safe and costs only refills.
		l.gen++
		return
	}
	l.floors[id] = floor{version: version, until: now.Add(l.ttl)}
}

// setSubscribed records whether invalidations are heard. Either way every
// copy goes and reads in flight will not fill: copies taken without a
// subscription, or across a gap in it, may have missed a write.
func (l *local) setSubscribed(on bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.subscribed = on
	l.gen++
	clear(l.users)
	clear(l.index)
}

// remove drops e, the entry of id, and its index entry. Callers hold mu.
func (l *local) remove(id string, e *entry) {
	delete(l.users, id)
	if l.index[e.key] == id {
		delete(l.index, e.key)
	}
}

// evict makes room: the stale entries go, and when none is stale a tenth
// of them (map order is unspecified, so which is arbitrary), so a full
// cache is not swept on every fill. Callers hold mu.
func (l *local) evict(now time.Time) {
	n := len(l.users)
	for id, e := range l.users {
		if !now.Before(e.until) {
			l.remove(id, e)
		}
	}
	drop := max(1, l.max/10) - (n - len(l.users))
	for id, e := range l.users {
		if drop <= 0 {
			return
		}
		l.remove(id, e)
		drop--
	}
}

// clone copies u's slices, so neither the cache nor a caller changes the other's.
func clone(u identity.User) identity.User {
	u.Addresses = slices.Clone(u.Addresses)
	u.Roles = slices.Clone(u.Roles)
	u.Groups = slices.Clone(u.Groups)
	return u
}
