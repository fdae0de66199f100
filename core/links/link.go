// Package links is the pure model of short links: aliases, targets and the
// rules for both.
package links

import "time"

// Link is one short link: GET /<Alias> redirects to Target.
type Link struct {
	ID           string
	Alias        string // unique; case-sensitive
	Target       string // normalised absolute http(s) URL
	OwnerID      string // the user who made it
	Redirects    int64  // redirects served, as counted in the store
	CreatedAt    time.Time
	UpdatedAt    time.Time
	ExpiresAt    time.Time // zero: never
	MaxRedirects int64     // zero: unlimited
}

// Expired reports whether l stopped redirecting by now.
func (l Link) Expired(now time.Time) bool {
	return !l.ExpiresAt.IsZero() && !now.Before(l.ExpiresAt)
}

// Exhausted reports whether l has used up its redirects once served of
// them have been counted (stored and not yet flushed alike).
func (l Link) Exhausted(served int64) bool {
	return l.MaxRedirects > 0 && served >= l.MaxRedirects
}

// Admit decides whether l may serve one more redirect at now, served
// redirects having been counted before this one: nil, or fault.Gone
// links.gone for an expired or exhausted link.
func (l Link) Admit(now time.Time, served int64) error {
	if l.Expired(now) || l.Exhausted(served) {
		return Gone()
	}
	return nil
}

// ValidateLimits checks the optional limits of a link being created or
// changed at now: an expiry, when set, lies in the future, and a redirect
// budget is not negative. fault.Invalid on field "expires_at" or
// "max_redirects".
func ValidateLimits(now, expiresAt time.Time, maxRedirects int64) error {
	if !expiresAt.IsZero() && !expiresAt.After(now) {
		return invalid("expires_at", "future", "expires_at must be in the future")
	}
	if maxRedirects < 0 {
		return invalid("max_redirects", "min", "max_redirects must be zero (unlimited) or more")
	}
	return nil
}
