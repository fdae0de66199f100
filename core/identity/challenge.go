package identity

import (
	"time"

	"gatehouse/core/fault"
)

// Purpose is what a one-time challenge proves; a challenge made for one
// purpose is never accepted for another.
type Purpose string

// The challenge purposes.
const (
	PurposeEmailConfirm  Purpose = "email_confirm"
	PurposePasswordReset Purpose = "password_reset"
	PurposePhoneLogin    Purpose = "phone_login"
	PurposeEmailLogin    Purpose = "email_login"
	PurposeEmailBind     Purpose = "email_bind"
)

// Challenge is one outstanding one-time code or link token. Only the hash of
// its secret is kept; ID is that hash, so a presented secret finds its
// challenge without a scan.
type Challenge struct {
	ID          string // hex SHA-256 of the secret
	Purpose     Purpose
	UserID      string // empty when the challenge names only a Target
	Target      string // the email or phone it was sent to
	CreatedAt   time.Time
	ExpiresAt   time.Time
	MaxAttempts int
}

// Defaults of a challenge's life.
const (
	DefaultChallengeTTL      = 10 * time.Minute
	DefaultChallengeAttempts = 5
)

// ChallengeSpec is what a new challenge is for and how long it lives.
type ChallengeSpec struct {
	Purpose     Purpose
	UserID      string
	Target      string
	TTL         time.Duration // zero: DefaultChallengeTTL
	MaxAttempts int           // zero: DefaultChallengeAttempts
}

// NewChallenge returns the challenge for a secret made now; the secret
// itself is not kept, only its HashSecret as the ID.
func NewChallenge(secret string, spec ChallengeSpec, now time.Time) Challenge {
	ttl, attempts := spec.TTL, spec.MaxAttempts
	if ttl <= 0 {
		ttl = DefaultChallengeTTL
	}
	if attempts <= 0 {
		attempts = DefaultChallengeAttempts
	}
	return Challenge{
		ID:          HashSecret(secret),
		Purpose:     spec.Purpose,
		UserID:      spec.UserID,
		Target:      spec.Target,
		CreatedAt:   now,
		ExpiresAt:   now.Add(ttl),
		MaxAttempts: attempts,
	}
}

// Expired reports whether the challenge can no longer be answered at now.
func (c Challenge) Expired(now time.Time) bool { return !now.Before(c.ExpiresAt) }

// Check decides whether a presentation of the challenge counts: made for
// purpose (a challenge is never accepted for another), not expired at now,
// and attempt (this presentation's number, from 1) within the budget. Every
// refusal is the same ErrChallengeInvalid, so a caller learns nothing about
// which rule failed.
func (c Challenge) Check(purpose Purpose, now time.Time, attempt int) error {
	if c.Purpose != purpose || c.Expired(now) || attempt < 1 || attempt > c.MaxAttempts {
		return ErrChallengeInvalid()
	}
	return nil
}

// ErrChallengeInvalid is the one answer to an unknown, expired, used,
// exhausted or misdirected challenge.
func ErrChallengeInvalid() error {
	return fault.New(fault.Unauthenticated, "identity.challenge_invalid",
		"The code is invalid or has expired.")
}

// Purposes lists every challenge purpose.
func Purposes() []Purpose {
	return []Purpose{PurposeEmailConfirm, PurposePasswordReset, PurposePhoneLogin, PurposeEmailLogin, PurposeEmailBind, PurposeTelegramLink}
}
