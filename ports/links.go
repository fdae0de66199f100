package ports

import (
	"context"
	"time"

	"gatehouse/core/links"
)

// LinkStore keeps short links. Aliases are unique: of concurrent Creates
// (or Updates) claiming one alias exactly one succeeds.
type LinkStore interface {
	// CreateLink stores l; fault.Conflict links.alias_taken when the alias is
	// in use, fault.Conflict links.id_taken when the ID is.
	CreateLink(ctx context.Context, l links.Link) error
	// LinkByID and LinkByAlias return one link; fault.NotFound links.not_found.
	LinkByID(ctx context.Context, id string) (links.Link, error)
	LinkByAlias(ctx context.Context, alias string) (links.Link, error)
	// UpdateLink replaces Alias, Target, ExpiresAt, MaxRedirects and
	// UpdatedAt of the stored link with l's (Redirects, OwnerID and
	// CreatedAt are kept). fault.NotFound links.not_found; fault.Conflict
	// links.alias_taken when a changed alias is in use.
	UpdateLink(ctx context.Context, l links.Link) error
	// DeleteLink removes a link and frees its alias; fault.NotFound links.not_found.
	DeleteLink(ctx context.Context, id string) error
	// LinksByOwner lists a user's links, newest first.
	LinksByOwner(ctx context.Context, ownerID string) ([]links.Link, error)
	// DeleteLinksByOwner removes every link of a user and returns how many.
	DeleteLinksByOwner(ctx context.Context, ownerID string) (int, error)
	// AddRedirects adds n to a link's Redirects, exactly, even when called
	// concurrently; a link deleted meanwhile is ignored (nil).
	AddRedirects(ctx context.Context, id string, n int64) error
	// TakeRedirect counts one redirect of a link in one atomic step: when
	// the link has no budget (MaxRedirects 0) or its stored Redirects is
	// below MaxRedirects, Redirects grows by one and the link after the
	// count is returned with true; otherwise the link as stored and false.
	// Of concurrent calls on a link with budget n, at most n (less what was
	// counted before) return true. fault.NotFound links.not_found.
	TakeRedirect(ctx context.Context, id string) (links.Link, bool, error)
}

// Broadcaster carries small messages to every replica (cache invalidation).
// Delivery is at most once and only to subscribers present when published.
type Broadcaster interface {
	// Publish sends msg on channel to every current subscriber, this
	// replica's included.
	Publish(ctx context.Context, channel string, msg []byte) error
	// Subscribe delivers the channel's messages until ctx ends, then closes
	// the returned channel.
	Subscribe(ctx context.Context, channel string) (<-chan []byte, error)
}

// LinkPatch is a change of a link: nil fields keep their current values.
// A zero ExpiresAt removes the expiry; a zero MaxRedirects the budget.
type LinkPatch struct {
	Target       *string
	Alias        *string
	ExpiresAt    *time.Time
	MaxRedirects *int64
}

// NewLink is what a user asks to shorten.
type NewLink struct {
	Target       string
	Alias        string // empty: generated
	ExpiresAt    time.Time
	MaxRedirects int64
}

// Links is the link use cases that frontends call.
type Links interface {
	// Create makes a link owned by ownerID. fault.Invalid (field "url" or
	// "alias") for a refused target or alias; fault.Conflict
	// links.alias_taken.
	Create(ctx context.Context, ownerID string, n NewLink) (links.Link, error)
	// Update applies p to a link of ownerID and returns the link as it was
	// before and as it is after, both with their current counts.
	// fault.NotFound links.not_found; fault.Forbidden links.not_owner;
	// fault.Invalid; fault.Conflict links.alias_taken.
	Update(ctx context.Context, ownerID, id string, p LinkPatch) (before, after links.Link, err error)
	// Delete removes a link of ownerID. fault.NotFound links.not_found;
	// fault.Forbidden links.not_owner.
	Delete(ctx context.Context, ownerID, id string) error
	// List returns ownerID's links, newest first, with counts that include
	// redirects not yet flushed to the store.
	List(ctx context.Context, ownerID string) ([]links.Link, error)
	// Resolve returns the target for alias and counts one redirect.
	// fault.NotFound links.not_found for an unknown alias; fault.Gone
	// links.gone for an expired or exhausted link.
	Resolve(ctx context.Context, alias string) (string, error)
	// Lookup returns the link for alias as Resolve finds it (same caches,
	// same faults) without counting a visit; its Redirects is the stored
	// count, which may lag behind redirects not yet flushed (List has
	// them). fault.NotFound links.not_found for an unknown alias;
	// fault.Gone links.gone for an expired or exhausted link.
	Lookup(ctx context.Context, alias string) (links.Link, error)
}
