package identitysvc

import (
	"context"
	"fmt"
	"strings"

	"gatehouse/core/identity"
	"gatehouse/ports"
)

// Register creates an account: handles normalised and validated, the
// password checked against the policy and hashed, a random 128-bit ID.
// When the login is an email address and no email is given, the login is
// also the email (contract 003 signs up with the email as login).
// fault.Invalid lists every field at fault; store conflicts
// (identity.login_taken, identity.email_taken) pass through. Valid
// sign-ups are counted per client address before the costly hash, here
// rather than in each frontend, so every contract spends one quota:
// fault.RateLimited identity.throttled beyond Throttle.RegistrationsPerIP.
// Sign-ups without an address are all counted as one address, so a caller
// that leaves it out cannot escape the quota.
// New accounts hold the catalog's identity.RoleUser. A new account with an
// email is sent a confirmation link (as by SendEmailConfirmation) when a
// notifier is set up, from the background (see later), so the answer does
// not wait for the token's store write; a failed send is logged and the
// account kept.
func (s *Service) Register(ctx context.Context, r ports.Registration) (identity.User, error) {
	u, err := s.newUser(r)
	if err != nil {
		return identity.User{}, err
	}
	ip := r.IP
	if ip == "" {
		ip = unknownAddress
	}
	if err := s.quota(ctx, "register", "ip", ip, s.throttle.RegistrationsPerIP); err != nil {
		return identity.User{}, err
	}
	if u.PasswordHash, err = s.hasher.Hash(ctx, r.Password); err != nil {
		return identity.User{}, fmt.Errorf("identitysvc: register: %w", err)
	}
	if u.ID, err = s.randomHex(16); err != nil {
		return identity.User{}, err
	}
	created, err := s.users.Create(ctx, u)
	if err != nil {
		return identity.User{}, fmt.Errorf("identitysvc: register: %w", err)
	}
	s.confirmNewEmail(ctx, created)
	return created, nil
}

// confirmNewEmail sends a new account with an email its confirmation link,
// best-effort: the account exists by now, so a failure is logged rather
// than returned, and nothing is tried when no channel is set up. It counts
// against Throttle.ConfirmationsPerUser like SendEmailConfirmation, and a
// later SendEmailConfirmation replaces this link rather than adding one.
func (s *Service) confirmNewEmail(ctx context.Context, u identity.User) {
	if s.deliverable(identity.PurposeEmailConfirm) != nil || u.Email == "" || u.EmailVerified {
		return
	}
	err := s.later(ctx, "confirm new email", func(ctx context.Context) {
		if err := s.sendConfirmation(ctx, u); err != nil {
			s.warn(ctx, "identity: send email confirmation on registration", u.ID, err)
		}
	})
	if err != nil {
		s.warn(ctx, "identity: send email confirmation on registration", u.ID, err)
	}
}

// newUser applies the identity rules to r, collecting every field error
// so the caller can fix them all at once.
func (s *Service) newUser(r ports.Registration) (identity.User, error) {
	login := identity.NormalizeLogin(r.Login)
	email := identity.NormalizeEmail(r.Email)
	if email == "" && identity.LooksLikeEmail(login) {
		email = login
	}
	locale := identity.Locale(strings.ToLower(strings.TrimSpace(string(r.Locale))))
	if locale == "" {
		locale = identity.LocaleEN
	}
	first, last, patronymic := strings.TrimSpace(r.FirstName), strings.TrimSpace(r.LastName), strings.TrimSpace(r.Patronymic)

	var errs []error
	errs = append(errs, identity.ValidateLogin(login))
	if email != "" {
		errs = append(errs, identity.ValidateEmail(email))
	}
	errs = append(errs, s.policy.Check(r.Password, login, email))
	errs = append(errs, identity.ValidateLocale(locale))
	errs = append(errs, identity.ValidateName("first_name", first), identity.ValidateName("last_name", last),
		identity.ValidateName("patronymic", patronymic))
	if err := identity.JoinInvalid(errs, "invalid.registration"); err != nil {
		return identity.User{}, err
	}

	var roles []string
	if _, ok := s.catalog.Role(identity.RoleUser); ok {
		roles = []string{identity.RoleUser}
	}
	now := s.clock.Now()
	return identity.User{
		Roles:      roles,
		Login:      login,
		Email:      email,
		Locale:     locale,
		Source:     strings.TrimSpace(r.Source),
		FirstName:  first,
		LastName:   last,
		Patronymic: patronymic,
		Status:     identity.StatusActive,
		CreatedAt:  now,
		UpdatedAt:  now,
	}, nil
}
