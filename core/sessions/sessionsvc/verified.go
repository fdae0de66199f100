package sessionsvc

import (
	"slices"
	"sync"
	"time"

	"gatehouse/core/sessions"
)

// DefaultVerifiedCacheSize is how many verified access tokens a Service
// remembers when Deps.VerifiedCacheSize is zero: with tokens of about
// 400 bytes, a few MiB.
const DefaultVerifiedCacheSize = 8192

// verifiedKey names one verification: the same token checked for another
// audience is another question.
type verifiedKey struct{ token, audience string }

// verifiedCache remembers the claims of access tokens whose signature and
// claims already verified, keyed by the exact token, so a token presented
// again costs a map read instead of a signature check. An entry serves no
// later than the token's exp (the Signer's leeway past exp is left to the
// Signer), and revocation is not its business: Verify checks it on every
// request, hit or miss. It holds at most max entries; when full it drops
// the expired ones, then arbitrary ones.
type verifiedCache struct {
	mu      sync.RWMutex
	max     int
	entries map[verifiedKey]sessions.Claims
}

func newVerifiedCache(max int) *verifiedCache {
	return &verifiedCache{max: max, entries: make(map[verifiedKey]sessions.Claims)}
}

// get returns the claims of token for audience when verified before and
// not past its exp at now.
func (v *verifiedCache) get(token, audience string, now time.Time) (sessions.Claims, bool) {
	if v.max <= 0 {
		return sessions.Claims{}, false
	}
	v.mu.RLock()
	c, ok := v.entries[verifiedKey{token, audience}]
	v.mu.RUnlock()
	if !ok || now.After(c.ExpiresAt) {
		return sessions.Claims{}, false
	}
	// Callers own what they get: a shared Roles slice must not be changed by one.
	c.Roles = slices.Clone(c.Roles)
	return c, true
}

// put remembers the claims of a token that verified at now.
func (v *verifiedCache) put(token, audience string, c sessions.Claims, now time.Time) {
	if v.max <= 0 || now.After(c.ExpiresAt) {
		return
	}
	c.Roles = slices.Clone(c.Roles)
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.entries) >= v.max {
		v.evict(now)
	}
	v.entries[verifiedKey{token, audience}] = c
}

// evict makes room: every expired entry goes, and when none has expired a
// tenth of the entries (map order is unspecified, so which ones is
// arbitrary), so a full cache is not swept on every put.
func (v *verifiedCache) evict(now time.Time) {
	n := len(v.entries)
	for k, c := range v.entries {
		if now.After(c.ExpiresAt) {
			delete(v.entries, k)
		}
	}
	if len(v.entries) < n {
		return
	}
	drop := max(1, v.max/10)
	for k := range v.entries {
		if drop == 0 {
			return
		}
		delete(v.entries, k)
		drop--
	}
}
