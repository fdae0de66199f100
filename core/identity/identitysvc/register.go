package identitysvc

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// maxNameLength bounds first and last names, in characters.
const maxNameLength = 100

// Register creates an account: handles normalised and validated, the
// password checked against the policy and hashed, a random 128-bit ID.
// When the login is an email address and no email is given, the login is
// also the email (contract 003 signs up with the email as login).
// fault.Invalid lists every field at fault; store conflicts
// (identity.login_taken, identity.email_taken) pass through.
func (s *Service) Register(ctx context.Context, r ports.Registration) (identity.User, error) {
	u, err := s.newUser(r)
	if err != nil {
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
	return created, nil
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
	first, last := strings.TrimSpace(r.FirstName), strings.TrimSpace(r.LastName)

	var errs []error
	errs = append(errs, identity.ValidateLogin(login))
	if email != "" {
		errs = append(errs, identity.ValidateEmail(email))
	}
	errs = append(errs, s.policy.Check(r.Password, login, email))
	if locale != identity.LocaleEN && locale != identity.LocaleRU {
		errs = append(errs, fault.Invalidf("locale", "oneof", "locale must be en or ru"))
	}
	errs = append(errs, checkName("first_name", first), checkName("last_name", last))
	if err := invalid(errs); err != nil {
		return identity.User{}, err
	}

	now := s.clock.Now()
	return identity.User{
		Login:     login,
		Email:     email,
		Locale:    locale,
		Source:    strings.TrimSpace(r.Source),
		FirstName: first,
		LastName:  last,
		Status:    identity.StatusActive,
		CreatedAt: now,
		UpdatedAt: now,
	}, nil
}

func checkName(field, name string) error {
	if utf8.RuneCountInString(name) > maxNameLength {
		return fault.Invalidf(field, "max_length", "%s must be at most %d characters",
			strings.ReplaceAll(field, "_", " "), maxNameLength)
	}
	return nil
}

// invalid merges the field errors in errs (nils skipped) into one
// fault.Invalid: the error itself when there is one, else one listing all
// fields with their messages joined.
func invalid(errs []error) error {
	var all []*fault.Error
	for _, err := range errs {
		if err == nil {
			continue
		}
		fe, ok := fault.As(err)
		if !ok {
			return err
		}
		all = append(all, fe)
	}
	switch len(all) {
	case 0:
		return nil
	case 1:
		return all[0]
	}
	merged := &fault.Error{Code: fault.Invalid, Reason: "invalid.registration"}
	msgs := make([]string, 0, len(all))
	for _, fe := range all {
		merged.Fields = append(merged.Fields, fe.Fields...)
		msgs = append(msgs, fe.Message)
	}
	merged.Message = strings.Join(msgs, "; ")
	return merged
}
