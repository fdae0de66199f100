package ports

import (
	"context"
	"net/url"
	"strings"

	"gatehouse/core/identity"
)

// Notification is one message to a person: a one-time code and/or link for
// a purpose, in the person's language.
type Notification struct {
	Channel   string // "email" (later: "sms", "telegram")
	Recipient string // an email address, a phone number, a chat id
	Name      string // how to greet the recipient; may be empty
	Locale    identity.Locale
	Purpose   identity.Purpose
	Code      string // may be empty
	Link      string // may be empty
}

// MailLinks makes the links that messages carry. The composition root
// builds it from the public URL and the route at which whatever serves each
// purpose is mounted, so a link always opens a page this deployment serves.
type MailLinks interface {
	// Link returns the absolute URL that opens token for purpose, and false
	// when nothing this deployment serves handles purpose: then no link is
	// mailed.
	Link(purpose identity.Purpose, token string) (string, bool)
}

// LinkRoutes is a MailLinks: Base, an absolute http(s) URL, joined with the
// path each purpose is served at, which the token ends. A purpose without a
// path is not served; the zero value serves none.
type LinkRoutes struct {
	Base  string
	Paths map[identity.Purpose]string
}

// Link implements MailLinks.
func (r LinkRoutes) Link(purpose identity.Purpose, token string) (string, bool) {
	p, ok := r.Paths[purpose]
	if !ok || r.Base == "" {
		return "", false
	}
	return strings.TrimRight(r.Base, "/") + p + url.PathEscape(token), true
}

// Notifier delivers notifications on one channel.
type Notifier interface {
	// Notify delivers n or returns an error: fault.Unavailable
	// notify.unavailable when the channel cannot take it now, fault.Invalid
	// notify.bad_recipient when the recipient cannot be written to.
	Notify(ctx context.Context, n Notification) error
}

// ChallengeStore keeps one-time challenges.
type ChallengeStore interface {
	// AddChallenge stores c; fault.Conflict identity.challenge_exists when its ID is taken.
	AddChallenge(ctx context.Context, c identity.Challenge) error
	// Challenge returns the challenge with that ID (the secret's hash);
	// fault.NotFound identity.challenge_not_found, also once it was consumed.
	Challenge(ctx context.Context, id string) (identity.Challenge, error)
	// ConsumeChallenge spends a challenge, once: of any number of concurrent
	// calls for one ID exactly one returns nil, the others fault.Conflict
	// identity.challenge_used. fault.NotFound identity.challenge_not_found
	// when absent.
	ConsumeChallenge(ctx context.Context, id string) error
	// DeleteChallenges removes a user's outstanding challenges of a purpose
	// (a new code replaces the old ones) and returns how many it removed.
	DeleteChallenges(ctx context.Context, userID string, purpose identity.Purpose) (int, error)
	// DeleteTargetChallenges removes the outstanding challenges of a purpose
	// sent to target (an email or phone), whoever they were made for, and
	// returns how many it removed: a new code to a recipient replaces the
	// old ones. Consumed challenges stay spent. An index serves it; an empty
	// target removes nothing.
	DeleteTargetChallenges(ctx context.Context, target string, purpose identity.Purpose) (int, error)
}

// SessionRevoker ends sessions on behalf of another context (a password
// reset or a block ends every session of the user).
type SessionRevoker interface {
	// EndUserSessions revokes every session of the user, refresh families
	// and opaque tokens alike, on every replica.
	EndUserSessions(ctx context.Context, userID, reason string) error
}
