package identitysvc

import (
	"context"
	"fmt"
	"log/slog"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
)

// StartPasswordReset implements ports.Recovery. The request path does the
// same for every address: it checks the budgets and the address's shape
// and hands the normalised address to the background (see later). There
// the account is looked up and, when one has the address, a reset link
// token is stored (replacing older ones) and emailed; for an unknown
// address nothing happens. Finding the account, storing its token and
// composing its mail thus cost the request nothing, and the answer and its
// timing are alike either way. Beyond Throttle.ResetsPerEmail resets of
// one address nothing is sent, silently, so the answer stays the same;
// beyond Throttle.ResetsPerIP the client gets fault.RateLimited
// identity.throttled. Failures in the background are logged. fault.Invalid
// for a malformed address; fault.Unavailable when the background queue is
// full.
func (s *Service) StartPasswordReset(ctx context.Context, email, ip string) error {
	if err := s.deliverable(identity.PurposePasswordReset); err != nil {
		return err
	}
	if err := s.quota(ctx, "reset_ip", "ip", ip, s.throttle.ResetsPerIP); err != nil {
		return err
	}
	email = identity.NormalizeEmail(email)
	if err := identity.ValidateEmail(email); err != nil {
		return err
	}
	within, _, err := s.count(ctx, "reset_email", "email", email, s.throttle.ResetsPerEmail)
	if err != nil {
		return err
	}
	if !within {
		s.log.InfoContext(ctx, "identity: password reset throttled")
		return nil
	}
	return s.later(ctx, "start password reset", func(ctx context.Context) {
		if err := s.sendReset(ctx, email); err != nil {
			s.log.ErrorContext(ctx, "identity: send password reset", slog.Any("error", err))
		}
	})
}

// sendReset stores and mails a reset link token when an account has email.
func (s *Service) sendReset(ctx context.Context, email string) error {
	u, known, err := found(s.users.ByEmail(ctx, email))
	if err != nil {
		return fmt.Errorf("identitysvc: password reset: %w", err)
	}
	if !known {
		return nil
	}
	token, err := s.newToken()
	if err != nil {
		return err
	}
	spec := identity.ChallengeSpec{Purpose: identity.PurposePasswordReset, UserID: u.ID, Target: u.Email}
	if err := s.issue(ctx, token, spec); err != nil {
		return err
	}
	return s.notify(ctx, u, identity.PurposePasswordReset, token)
}

// Confirm implements ports.Recovery. A password reset token is checked
// (spending one attempt, not the token) and returned as the token for
// ResetPassword. An email confirmation is spent and marks the email
// verified, if it is still the account's email; it returns no token.
func (s *Service) Confirm(ctx context.Context, code string) (identity.Purpose, string, error) {
	c, err := s.present(ctx, code, identity.PurposePasswordReset, identity.PurposeEmailConfirm)
	if err != nil {
		return "", "", err
	}
	if c.Purpose == identity.PurposePasswordReset {
		if _, err := s.challengeUser(ctx, c); err != nil {
			return "", "", err
		}
		return c.Purpose, code, nil
	}
	if err := s.confirmEmail(ctx, c); err != nil {
		return "", "", err
	}
	return c.Purpose, "", nil
}

func (s *Service) confirmEmail(ctx context.Context, c identity.Challenge) error {
	u, err := s.challengeUser(ctx, c)
	if err != nil {
		return err
	}
	if u.Email != c.Target {
		return identity.ErrChallengeInvalid() // sent to an address the account no longer has
	}
	if err := s.consume(ctx, c); err != nil {
		return err
	}
	_, err = s.modify(ctx, "confirm email", u.ID, func(cur identity.User) (identity.User, error) {
		if cur.Email != c.Target {
			return identity.User{}, identity.ErrChallengeInvalid()
		}
		cur.EmailVerified = true
		return cur, nil
	})
	return err
}

// ResetPassword implements ports.Recovery. The password is checked before
// an attempt is counted, so a refused password costs the token nothing, and
// hashed before the token is spent; of concurrent calls only the one whose
// ConsumeChallenge wins goes on. Then the hash is stored, every session
// of the user ends, the user's other reset tokens go and its sign-in
// throttle is cleared. Failing to end the sessions is returned (the
// password is changed by then); the two clean-ups are logged.
func (s *Service) ResetPassword(ctx context.Context, token, password string) (string, error) {
	c, err := s.find(ctx, token, identity.PurposePasswordReset)
	if err != nil {
		return "", err
	}
	u, err := s.challengeUser(ctx, c)
	if err != nil {
		return "", err
	}
	if err := s.policy.Check(password, u.Login, u.Email); err != nil {
		return "", err
	}
	if err := s.attempt(ctx, c); err != nil {
		return "", err
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return "", fmt.Errorf("identitysvc: reset password: %w", err)
	}
	if err := s.consume(ctx, c); err != nil {
		return "", err
	}
	u, err = s.modify(ctx, "reset password", u.ID, func(cur identity.User) (identity.User, error) {
		cur.PasswordHash = hash
		return cur, nil
	})
	if err != nil {
		return "", err
	}
	if err := s.sessions.EndUserSessions(ctx, u.ID, reasonPasswordReset); err != nil {
		return "", fmt.Errorf("identitysvc: reset password: end sessions: %w", err)
	}
	if _, err := s.challenges.DeleteChallenges(ctx, u.ID, identity.PurposePasswordReset); err != nil {
		s.warn(ctx, "identity: drop other reset tokens", u.ID, err)
	}
	if err := s.forgetFailures(ctx, u); err != nil {
		s.warn(ctx, "identity: clear sign-in throttle", u.ID, err)
	}
	s.log.InfoContext(ctx, "identity: password reset", slog.String("user_id", u.ID))
	return u.ID, nil
}

// SendEmailConfirmation implements ports.Recovery: a confirmation link
// token, replacing older ones, is emailed to the user's address. Nothing is
// sent when the address is verified already. fault.Invalid
// identity.no_email when the account has none; fault.RateLimited
// identity.throttled beyond Throttle.ConfirmationsPerUser; fault.NotFound
// identity.user_not_found; delivery faults pass through.
func (s *Service) SendEmailConfirmation(ctx context.Context, userID string) error {
	if err := s.deliverable(identity.PurposeEmailConfirm); err != nil {
		return err
	}
	u, err := s.users.ByID(ctx, userID)
	if err != nil {
		return fmt.Errorf("identitysvc: send email confirmation: %w", err)
	}
	switch {
	case u.Email == "":
		return fault.New(fault.Invalid, "identity.no_email", "The account has no email address.")
	case u.EmailVerified:
		return nil
	}
	return s.sendConfirmation(ctx, u)
}

// sendConfirmation emails u a confirmation link token, replacing older
// ones, within Throttle.ConfirmationsPerUser; Register and
// SendEmailConfirmation share it, and so share the budget.
func (s *Service) sendConfirmation(ctx context.Context, u identity.User) error {
	if err := s.quota(ctx, "confirm_email", "user", u.ID, s.throttle.ConfirmationsPerUser); err != nil {
		return err
	}
	token, err := s.newToken()
	if err != nil {
		return err
	}
	spec := identity.ChallengeSpec{Purpose: identity.PurposeEmailConfirm, UserID: u.ID, Target: u.Email}
	if err := s.issue(ctx, token, spec); err != nil {
		return err
	}
	return s.notify(ctx, u, identity.PurposeEmailConfirm, token)
}
