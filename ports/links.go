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
	// AddRedirects adds counts[id] to the Redirects of each link id,
	// exactly, even when called concurrently; a link deleted meanwhile is
	// ignored. It is one batch where the store can (one transaction): the
	// counts of many links cost about one write. On an error, unapplied
	// holds the counts not added (to be given back); every other count was
	// added exactly once. On success unapplied is empty.
	AddRedirects(ctx context.Context, counts map[string]int64) (unapplied map[string]int64, err error)
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

// LinkSource is what a LinkCache reads through to: the link use cases'
// rule on what can name a link, and the store behind it.
type LinkSource interface {
	// Admit returns nil when alias can name a link, else the error Get
	// returns for it (fault.NotFound links.not_found).
	Admit(alias string) error
	// Load reads the link alias names from the store: fault.NotFound
	// links.not_found for none, storage faults as the store returns them.
	Load(ctx context.Context, alias string) (links.Link, error)
}

// LinkCache keeps copies of links by alias for the redirect path: in
// process, and in a tier every replica shares. It decides nothing about a
// link (expiry, budget): the use cases do, on what it returns.
//
// How fresh a copy is:
//   - Invalidate drops an alias's copies here and in the shared tier
//     before it returns, and on every other replica when its broadcast
//     reaches it.
//   - A copy read (from the shared tier or the source) before an
//     invalidation of its alias, made here or heard from another replica,
//     serves only the Get that read it: it is kept in neither tier, or
//     dropped from both when the invalidation is heard.
//   - A replica that misses a broadcast (delivery is at most once) serves
//     its copy for at most its local TTL after reading it.
//   - A replica keeps copies only while it is subscribed to invalidations,
//     between Start and Stop: a lost subscription drops every copy it
//     holds, and it keeps none until subscribed again. Unsubscribed, every
//     Get reads the source.
type LinkCache interface {
	// Get returns the link alias names: this replica's copy; else, once
	// src admits alias, the shared tier's copy or what src.Load returns
	// (one Load at most). src's errors come back as they are and nothing
	// is kept; a shared tier that fails is skipped, so Get has no faults
	// of its own.
	Get(ctx context.Context, alias string, src LinkSource) (links.Link, error)
	// Invalidate drops every copy of aliases (see LinkCache). The store is
	// already changed and copies it could not reach expire by themselves,
	// so it returns nothing; what failed is logged.
	Invalidate(ctx context.Context, aliases ...string)
	// Start subscribes to invalidations and returns once the subscription
	// is in place; Get keeps copies from then on. An error when already
	// started or stopped, or when subscribing fails.
	Start(ctx context.Context) error
	// Stop ends the subscription and drops every copy; Get then reads the
	// source. Calling it again does nothing.
	Stop(ctx context.Context) error
}

// RedirectCounter counts the redirects of links without a budget in
// process and adds them to the store in batches, so a redirect costs no
// I/O. Counts are exact: each Add reaches the store once, whatever runs
// concurrently with it, as long as the process lives to a Flush or Close.
type RedirectCounter interface {
	// Add counts one redirect of link id. Until Close it waits in process
	// for the next Flush; from Close on it goes straight to the store (no
	// Flush comes any more), and a store that refuses it loses that one
	// count, which is logged.
	Add(ctx context.Context, id string)
	// Unflushed returns id's count added here and not yet in the store.
	Unflushed(id string) int64
	// Forget drops id's unflushed count: the link is gone.
	Forget(id string)
	// Flush adds every unflushed count to its link's stored count (one
	// LinkStore.AddRedirects batch; a link deleted meanwhile takes nothing
	// and is no error). A count the store refuses stays for the
	// next Flush, and the error wraps the store's (fault.Unavailable
	// storage.unavailable while storage is down).
	Flush(ctx context.Context) error
	// Close sends every Add from now on straight to the store, then
	// flushes and returns Flush's error; what the store refused stays for
	// a later Flush. Calling it again flushes again.
	Close(ctx context.Context) error
}
