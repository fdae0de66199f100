package identitysvc

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// attemptsMargin keeps an attempt counter past its challenge's expiry, so
// clock skew between replicas cannot restart a budget early.
const attemptsMargin = time.Minute

// newToken draws a fresh 256-bit link token.
func (s *Service) newToken() (string, error) {
	b, err := s.randomBytes(identity.TokenRandomBytes)
	if err != nil {
		return "", err
	}
	return identity.TokenFromRandom(b)
}

// issue stores the challenge of token for spec, replacing the user's
// outstanding challenges of the same purpose.
func (s *Service) issue(ctx context.Context, token string, spec identity.ChallengeSpec) error {
	spec.TTL = s.ttl
	c := identity.NewChallenge(token, spec, s.clock.Now())
	if spec.UserID != "" {
		if _, err := s.challenges.DeleteChallenges(ctx, spec.UserID, spec.Purpose); err != nil {
			return fmt.Errorf("identitysvc: replace challenges: %w", err)
		}
	}
	if err := s.challenges.AddChallenge(ctx, c); err != nil {
		return fmt.Errorf("identitysvc: add challenge: %w", err)
	}
	return nil
}

// notify mails the user the link that opens token. The token is no code
// a person types, so the mail shows the link (and its button) alone.
func (s *Service) notify(ctx context.Context, u identity.User, purpose identity.Purpose, token string) error {
	link, ok := s.links.Link(purpose, token)
	if !ok {
		return s.deliverable(purpose)
	}
	err := s.notifier.Notify(ctx, ports.Notification{
		Channel: "email", Recipient: u.Email, Name: u.DisplayName(), Locale: u.Locale,
		Purpose: purpose, Link: link,
	})
	if err != nil {
		return fmt.Errorf("identitysvc: notify %s: %w", purpose, err)
	}
	return nil
}

// present finds the live challenge of secret, of one of the given
// purposes, and spends one attempt of its budget on this presentation.
func (s *Service) present(ctx context.Context, secret string, purposes ...identity.Purpose) (identity.Challenge, error) {
	c, err := s.find(ctx, secret, purposes...)
	if err != nil {
		return identity.Challenge{}, err
	}
	return c, s.attempt(ctx, c)
}

// find returns the live challenge of secret if it has one of the given
// purposes, spending nothing. Every refusal is identity.ErrChallengeInvalid;
// only store failures differ.
func (s *Service) find(ctx context.Context, secret string, purposes ...identity.Purpose) (identity.Challenge, error) {
	if secret == "" {
		return identity.Challenge{}, identity.ErrChallengeInvalid()
	}
	c, err := s.challenges.Challenge(ctx, identity.HashSecret(secret))
	switch {
	case fault.Is(err, fault.NotFound):
		return identity.Challenge{}, identity.ErrChallengeInvalid()
	case err != nil:
		return identity.Challenge{}, fmt.Errorf("identitysvc: find challenge: %w", err)
	}
	if !slices.Contains(purposes, c.Purpose) || c.Expired(s.clock.Now()) {
		return identity.Challenge{}, identity.ErrChallengeInvalid()
	}
	return c, nil
}

// attempt counts one presentation of c against its attempt budget, shared
// by every replica through the cache, and refuses it beyond the budget.
//
// Each presentation of a live challenge spends one attempt, so a link
// opened, say, by a mail scanner and then by its owner still works, while
// a leaked token cannot be replayed without bound. A wrong secret finds no
// challenge at all (the ID is the secret's hash), so guessing costs the
// owner nothing; 256-bit tokens make it hopeless.
func (s *Service) attempt(ctx context.Context, c identity.Challenge) error {
	now := s.clock.Now()
	n, err := s.cache.Incr(ctx, keyAttempts+c.ID, 1, c.ExpiresAt.Sub(now)+attemptsMargin)
	if err != nil {
		return fmt.Errorf("identitysvc: count attempt: %w", err)
	}
	return c.Check(c.Purpose, now, int(n))
}

// consume spends c once; a lost race reads as an invalid challenge.
func (s *Service) consume(ctx context.Context, c identity.Challenge) error {
	err := s.challenges.ConsumeChallenge(ctx, c.ID)
	switch {
	case err == nil:
		return nil
	case fault.Is(err, fault.Conflict), fault.Is(err, fault.NotFound):
		return identity.ErrChallengeInvalid()
	default:
		return fmt.Errorf("identitysvc: consume challenge: %w", err)
	}
}

// challengeUser returns the user a challenge was made for; a user deleted
// since makes the challenge invalid.
func (s *Service) challengeUser(ctx context.Context, c identity.Challenge) (identity.User, error) {
	u, ok, err := found(s.users.ByID(ctx, c.UserID))
	switch {
	case err != nil:
		return identity.User{}, fmt.Errorf("identitysvc: challenge user: %w", err)
	case !ok || c.UserID == "":
		return identity.User{}, identity.ErrChallengeInvalid()
	}
	return u, nil
}

// warn logs a failure of a step that does not undo what was done. Codes
// and tokens are never logged.
func (s *Service) warn(ctx context.Context, msg, userID string, err error) {
	s.log.WarnContext(ctx, msg, slog.String("user_id", userID), slog.Any("error", err))
}
