package identitysvc

import (
	"context"
	"fmt"

	"gatehouse/core/identity"
	"gatehouse/ports"
)

// UpdateProfile implements ports.Profiles: the change is checked by
// identity.ApplyProfile (a birthday may not lie after today in UTC) and
// stored through modify, so a concurrent change of another field of the
// same user is kept, not overwritten.
func (s *Service) UpdateProfile(ctx context.Context, userID string, u ports.ProfileUpdate) (identity.User, error) {
	ch := identity.ProfileChange{
		FirstName: u.FirstName, LastName: u.LastName, Patronymic: u.Patronymic,
		Birthday: u.Birthday, Description: u.Description, BackgroundColor: u.BackgroundColor,
		Avatar: u.Avatar, Locale: u.Locale,
	}
	return s.modify(ctx, "update profile", userID, func(cur identity.User) (identity.User, error) {
		return identity.ApplyProfile(cur, ch, s.clock.Now().UTC())
	})
}

// LoginAvailable implements ports.Profiles.
func (s *Service) LoginAvailable(ctx context.Context, login string) (bool, error) {
	login = identity.NormalizeLogin(login)
	if err := identity.ValidateLogin(login); err != nil {
		return false, err
	}
	_, known, err := found(s.users.ByLogin(ctx, login))
	if err != nil {
		return false, fmt.Errorf("identitysvc: login available: %w", err)
	}
	return !known, nil
}

// EmailRegistered implements ports.Profiles. It is an enumeration oracle
// by design (contract 003 has it), so it is counted per client address:
// fault.RateLimited identity.throttled beyond Throttle.EmailChecksPerIP.
// fault.Invalid for a malformed address.
func (s *Service) EmailRegistered(ctx context.Context, email, ip string) (bool, error) {
	if err := s.quota(ctx, "email_check", "ip", ip, s.throttle.EmailChecksPerIP); err != nil {
		return false, err
	}
	email = identity.NormalizeEmail(email)
	if err := identity.ValidateEmail(email); err != nil {
		return false, err
	}
	_, known, err := found(s.users.ByEmail(ctx, email))
	if err != nil {
		return false, fmt.Errorf("identitysvc: email registered: %w", err)
	}
	return known, nil
}

// Users implements ports.Profiles.
func (s *Service) Users(ctx context.Context, offset, limit int) ([]identity.User, error) {
	if limit == 0 {
		limit = identity.DefaultPageSize
	}
	if err := identity.CheckPage(offset, limit); err != nil {
		return nil, err
	}
	us, err := s.users.List(ctx, offset, limit)
	if err != nil {
		return nil, fmt.Errorf("identitysvc: users: %w", err)
	}
	return us, nil
}

// UserByNumber implements ports.Profiles.
func (s *Service) UserByNumber(ctx context.Context, n int64) (identity.User, error) {
	u, err := s.users.ByNumber(ctx, n)
	if err != nil {
		return identity.User{}, fmt.Errorf("identitysvc: user by number: %w", err)
	}
	return u, nil
}

// UserByLogin implements ports.Profiles; the login is normalised first.
func (s *Service) UserByLogin(ctx context.Context, login string) (identity.User, error) {
	u, err := s.users.ByLogin(ctx, identity.NormalizeLogin(login))
	if err != nil {
		return identity.User{}, fmt.Errorf("identitysvc: user by login: %w", err)
	}
	return u, nil
}

// AddAddress implements ports.Profiles (rules in identity.AddAddress) with
// a random 128-bit ID. Read-modify-write, like UpdateProfile.
func (s *Service) AddAddress(ctx context.Context, userID, name, address string) (identity.Address, error) {
	id, err := s.randomHex(16)
	if err != nil {
		return identity.Address{}, err
	}
	u, err := s.modify(ctx, "add address", userID, func(cur identity.User) (identity.User, error) {
		return identity.AddAddress(cur, identity.Address{ID: id, Name: name, Address: address})
	})
	if err != nil {
		return identity.Address{}, err
	}
	return u.Addresses[len(u.Addresses)-1], nil
}

// Permissions implements ports.Profiles.
func (s *Service) Permissions(_ context.Context, u identity.User) []string {
	return s.catalog.Permissions(u.Roles, u.Groups)
}

// Catalog implements ports.Profiles.
func (s *Service) Catalog() identity.Catalog { return s.catalog.Clone() }
