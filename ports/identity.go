package ports

import (
	"context"

	"gatehouse/core/identity"
)

// UserStore keeps accounts.
//
// Handles are unique across users: Login, Email and Phone, each compared as
// stored (callers store them normalised), and TelegramID; an empty handle
// (a zero TelegramID) is not a handle and never conflicts. Stores keep that uniqueness under concurrency: of two
// concurrent Creates with one handle exactly one succeeds. CreatedAt is
// kept to the microsecond (contract 004 shows it), other times to the
// millisecond.
type UserStore interface {
	// Create stores u and returns it with Number assigned: the next integer
	// of a sequence starting at 1, unique under concurrency, and with
	// Version 1, whatever u.Version was. u.ID must be set by the caller.
	// fault.Conflict with reason identity.login_taken, identity.email_taken,
	// identity.phone_taken or identity.telegram_taken when a handle is in
	// use; fault.Conflict identity.id_taken when u.ID exists.
	Create(ctx context.Context, u identity.User) (identity.User, error)

	// ByID returns the user with that ID; fault.NotFound identity.user_not_found.
	ByID(ctx context.Context, id string) (identity.User, error)
	// ByNumber returns the user with that Number; fault.NotFound identity.user_not_found.
	ByNumber(ctx context.Context, n int64) (identity.User, error)
	// ByLogin returns the user with that Login; fault.NotFound identity.user_not_found.
	ByLogin(ctx context.Context, login string) (identity.User, error)
	// ByEmail returns the user with that Email; fault.NotFound identity.user_not_found.
	ByEmail(ctx context.Context, email string) (identity.User, error)
	// ByPhone returns the user with that Phone; fault.NotFound identity.user_not_found.
	ByPhone(ctx context.Context, phone string) (identity.User, error)
	// ByTelegramID returns the user linked to that Telegram user id;
	// fault.NotFound identity.user_not_found (also for id 0).
	ByTelegramID(ctx context.Context, id int64) (identity.User, error)

	// Update replaces the stored user with the same ID (Number and CreatedAt
	// are kept as stored) on one precondition: u.Version equals the stored
	// Version, i.e. u was read from the current state (optimistic
	// concurrency). The stored Version becomes u.Version+1; callers that go
	// on with the user re-read it or count the bump themselves. Of
	// concurrent Updates carrying one Version exactly one succeeds.
	// fault.NotFound identity.user_not_found when absent; fault.Conflict
	// identity.stale_user ("The account was changed meanwhile; try again.")
	// when u.Version is not the stored Version, and nothing is changed;
	// fault.Conflict identity.*_taken when a changed handle is in use by
	// another user. Users stored before versions existed read as Version 0.
	Update(ctx context.Context, u identity.User) error

	// List returns users ordered by Number, skipping offset, at most limit.
	List(ctx context.Context, offset, limit int) ([]identity.User, error)

	// Delete removes the user and frees its handles; fault.NotFound
	// identity.user_not_found when absent.
	Delete(ctx context.Context, id string) error
}

// PasswordHasher turns passwords into PHC strings and checks them. Hashing
// is costly by design, so implementations bound how many run at once and
// how many wait; a caller turned away gets fault.Unavailable with a
// RetryAfter, at once or after a bounded wait, never an unbounded one.
type PasswordHasher interface {
	// Admit reserves a place for one password check ahead of the work that
	// leads up to it (finding the account), so that under overload a request
	// is refused before it costs anything. It never waits: when as many
	// checks are under way as the hasher can run and queue, it returns
	// fault.Unavailable with a RetryAfter. Call release once the check is
	// done, whatever its outcome; Verify and Hash work with or without a
	// place.
	Admit(ctx context.Context) (release func(), err error)
	// Hash returns a new argon2id PHC string for the password.
	// fault.Unavailable with a RetryAfter when the hasher is busy.
	Hash(ctx context.Context, password string) (string, error)
	// Verify reports whether password matches hash (argon2id, or bcrypt
	// $2a$/$2y$/$2b$), in constant time, and whether the hash should be
	// replaced by a fresh Hash (an older algorithm or weaker parameters).
	// A malformed hash is an error, not a mismatch. fault.Unavailable with
	// a RetryAfter when the hasher is busy.
	Verify(ctx context.Context, hash, password string) (ok, rehash bool, err error)
}
