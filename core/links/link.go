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
	Redirects    int64  // redirects served, as folded into the store
	CreatedAt    time.Time
	UpdatedAt    time.Time
	ExpiresAt    time.Time // zero: never
	MaxRedirects int64     // zero: unlimited
}
