package ports

import (
	"context"

	"gatehouse/core/identity"
)

// Registration is what a new account starts with.
type Registration struct {
	Login      string
	Email      string
	Password   string
	Locale     identity.Locale
	Source     string
	FirstName  string
	LastName   string
	Patronymic string
	IP         string // the client's address, for rate limits
}

// Credentials is one password sign-in attempt.
type Credentials struct {
	Handle   string // login or email
	Password string
	IP       string // the client's address, for rate limits
}

// Accounts is the identity use cases every frontend signs people up and in with.
type Accounts interface {
	// Register creates an account. fault.Invalid (with field errors) for a
	// bad handle or a password the policy refuses; fault.Conflict
	// identity.login_taken / identity.email_taken when taken;
	// fault.RateLimited identity.throttled when the IP registers too often.
	Register(ctx context.Context, r Registration) (identity.User, error)

	// Authenticate checks a password for a handle (login or email).
	// fault.Unauthenticated identity.bad_credentials for an unknown handle or
	// a wrong password alike, with similar timing; fault.Forbidden
	// identity.blocked for a blocked account (only once the password
	// matched); fault.RateLimited identity.throttled (with RetryAfter) when
	// the account or the IP has failed too often.
	Authenticate(ctx context.Context, c Credentials) (identity.User, error)

	// Profile returns the user; fault.NotFound identity.user_not_found.
	Profile(ctx context.Context, userID string) (identity.User, error)
}

// ProfileUpdate is a change of the profile fields; nil leaves a field as it is.
type ProfileUpdate struct {
	FirstName       *string
	LastName        *string
	Patronymic      *string
	Birthday        *string // YYYY-MM-DD or ""
	Description     *string
	BackgroundColor *string // #RRGGBB or ""
	Avatar          *string
	Locale          *identity.Locale
}

// Profiles is the use cases that read and change profiles and look people up.
type Profiles interface {
	// UpdateProfile applies u to the user's profile and returns the user.
	// fault.Invalid (field errors) for a bad value; fault.NotFound
	// identity.user_not_found.
	UpdateProfile(ctx context.Context, userID string, u ProfileUpdate) (identity.User, error)
	// LoginAvailable reports whether login is free to register (and valid).
	// fault.Invalid with a field error when the login breaks the rules.
	LoginAvailable(ctx context.Context, login string) (bool, error)
	// EmailRegistered reports whether an account has that email.
	// fault.RateLimited identity.throttled when ip asks too often.
	EmailRegistered(ctx context.Context, email, ip string) (bool, error)
	// Users lists users by Number, skipping offset, at most limit (0 means
	// identity.DefaultPageSize). fault.Invalid (identity.CheckPage) for a
	// negative offset or a limit over identity.MaxPageSize.
	Users(ctx context.Context, offset, limit int) ([]identity.User, error)
	// UserByNumber and UserByLogin find one user; fault.NotFound identity.user_not_found.
	UserByNumber(ctx context.Context, n int64) (identity.User, error)
	UserByLogin(ctx context.Context, login string) (identity.User, error)
	// AddAddress adds a named blockchain address and returns it with its ID.
	// fault.Invalid for an empty or oversized address or name; fault.Conflict
	// identity.address_exists when the user has it already.
	AddAddress(ctx context.Context, userID, name, address string) (identity.Address, error)
	// Permissions returns the permissions the user holds through its roles and groups.
	Permissions(ctx context.Context, u identity.User) []string
	// Catalog returns the known roles and groups (for their integer ids).
	Catalog() identity.Catalog
	// DeleteAccount removes the user and, through every UserDeletionHook,
	// everything it owns (sessions, links, ...). fault.NotFound
	// identity.user_not_found.
	DeleteAccount(ctx context.Context, userID string) error
}

// UserDeletionHook is told when an account is deleted, so the context that
// keeps the user's things (sessions, links) removes them. Hooks run before
// the user record goes, so a failure leaves the account in place to retry.
type UserDeletionHook interface {
	// UserDeleted removes everything of the user this context keeps.
	UserDeleted(ctx context.Context, userID string) error
}

// Recovery is the use cases of one-time challenges sent by email: password
// reset and email confirmation.
type Recovery interface {
	// StartPasswordReset sends a reset code and link to email when an
	// account has it. It answers the same, with similar timing, whether or
	// not one does. fault.RateLimited identity.throttled when the email or
	// the IP asks too often.
	StartPasswordReset(ctx context.Context, email, ip string) error
	// Confirm checks a code or link token from an email without spending
	// it, and returns the challenge's purpose and the token to use next
	// (for a password reset: the token ResetPassword takes). An email
	// confirmation is completed here. fault.Unauthenticated
	// identity.challenge_invalid for unknown, expired, used or exhausted ones.
	Confirm(ctx context.Context, code string) (identity.Purpose, string, error)
	// ResetPassword sets a new password with a reset token, once: of
	// concurrent calls with one token exactly one succeeds. It ends every
	// session of the user and returns the user's ID. fault.Unauthenticated
	// identity.challenge_invalid; fault.Invalid for a refused password.
	ResetPassword(ctx context.Context, token, password string) (string, error)
	// SendEmailConfirmation sends a confirmation code and link to the user's email.
	SendEmailConfirmation(ctx context.Context, userID string) error
}

// Admin is the operator's use cases (the `gatehouse user` command).
type Admin interface {
	// Grant adds a role (or a group, for "group:<name>") to a user;
	// fault.Invalid identity.unknown_role for a name not in the catalog.
	Grant(ctx context.Context, userID, role string) (identity.User, error)
	// Revoke removes a role (or "group:<name>") from a user.
	Revoke(ctx context.Context, userID, role string) (identity.User, error)
	// Block stops a user from signing in and ends its sessions; Unblock lets it in again.
	Block(ctx context.Context, userID string) (identity.User, error)
	Unblock(ctx context.Context, userID string) (identity.User, error)
	// Find resolves a user by ID, number, login or email.
	Find(ctx context.Context, ref string) (identity.User, error)
}
