package sessionsvc

import (
	"sync"
	"time"

	"gatehouse/core/sessions"
)

// revokedSet is this process's own record of revoked families, filled from
// its own revocations and from the revocation feed (storage). Unlike the
// shared cache it cannot be emptied under a running process, so a cache
// that lost its data never makes a revoked token valid again. An entry
// lives as long as an access token of the family may: its revocation plus
// the access lifetime and the verification leeway; opaque sessions are
// refused by their stored record after that.
type revokedSet struct {
	mu    sync.RWMutex
	until map[string]time.Time
}

// add records id as revoked until until, keeping the later of two records.
func (r *revokedSet) add(id string, until time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.until == nil {
		r.until = map[string]time.Time{}
	}
	if cur, ok := r.until[id]; !ok || until.After(cur) {
		r.until[id] = until
	}
}

// has reports whether id is recorded as revoked. An entry past its time
// is still reported until pruned: erring towards refusal costs nothing,
// since no access token of the family can be live by then.
func (r *revokedSet) has(id string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	_, ok := r.until[id]
	return ok
}

// prune drops the entries past their time at now.
func (r *revokedSet) prune(now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for id, until := range r.until {
		if !now.Before(until) {
			delete(r.until, id)
		}
	}
}

// remember records family id, revoked at `at`, in the process's revoked set.
func (s *Service) remember(id string, at time.Time) {
	s.feed.revoked.add(id, at.Add(s.policy.AccessTTL+sessions.Leeway+time.Second))
}
