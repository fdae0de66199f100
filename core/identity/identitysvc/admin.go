package identitysvc

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gatehouse/core/identity"
)

// Reasons given to SessionRevoker.
const (
	reasonBlocked       = "blocked"
	reasonPasswordReset = "password_reset"
)

// Grant implements ports.Admin (rules in identity.Catalog.Grant).
// Read-modify-write, like UpdateProfile.
func (s *Service) Grant(ctx context.Context, userID, role string) (identity.User, error) {
	return s.modify(ctx, "grant", userID, func(u identity.User) (identity.User, error) {
		return s.catalog.Grant(u, role)
	})
}

// Revoke implements ports.Admin (rules in identity.Catalog.Revoke):
// fault.Invalid identity.unknown_role for a name neither held nor known.
func (s *Service) Revoke(ctx context.Context, userID, role string) (identity.User, error) {
	return s.modify(ctx, "revoke", userID, func(u identity.User) (identity.User, error) {
		return s.catalog.Revoke(u, role)
	})
}

// Block implements ports.Admin: the status is stored first, so no new
// session can start, then every session ends. Blocking a blocked user
// ends its sessions again, which is harmless and lets a failed attempt be
// retried.
func (s *Service) Block(ctx context.Context, userID string) (identity.User, error) {
	u, err := s.setStatus(ctx, userID, identity.StatusBlocked)
	if err != nil {
		return identity.User{}, err
	}
	if err := s.sessions.EndUserSessions(ctx, u.ID, reasonBlocked); err != nil {
		return identity.User{}, fmt.Errorf("identitysvc: block: end sessions: %w", err)
	}
	return u, nil
}

// Unblock implements ports.Admin.
func (s *Service) Unblock(ctx context.Context, userID string) (identity.User, error) {
	return s.setStatus(ctx, userID, identity.StatusActive)
}

// setStatus stores st through modify: a concurrent change of the same user
// (a profile update) is made over it or redone after it, never written back
// with the old status, which for a block would silently let the user in
// again.
func (s *Service) setStatus(ctx context.Context, userID string, st identity.Status) (identity.User, error) {
	return s.modify(ctx, "set status", userID, func(u identity.User) (identity.User, error) {
		u.Status = st
		return u, nil
	})
}

// Find implements ports.Admin: ref is tried as an ID, then (all digits) as
// a Number, then as a login and, when it has an "@", as an email.
// fault.NotFound identity.user_not_found when nothing matches.
func (s *Service) Find(ctx context.Context, ref string) (identity.User, error) {
	ref = strings.TrimSpace(ref)
	lookups := []func() (identity.User, error){
		func() (identity.User, error) { return s.users.ByID(ctx, ref) },
	}
	if n, err := strconv.ParseInt(ref, 10, 64); err == nil && n > 0 {
		lookups = append(lookups, func() (identity.User, error) { return s.users.ByNumber(ctx, n) })
	}
	lookups = append(lookups, func() (identity.User, error) { return s.users.ByLogin(ctx, identity.NormalizeLogin(ref)) })
	if identity.LooksLikeEmail(ref) {
		lookups = append(lookups, func() (identity.User, error) { return s.users.ByEmail(ctx, identity.NormalizeEmail(ref)) })
	}
	if ref != "" {
		for _, lookup := range lookups {
			u, ok, err := found(lookup())
			if err != nil {
				return identity.User{}, fmt.Errorf("identitysvc: find: %w", err)
			}
			if ok {
				return u, nil
			}
		}
	}
	return identity.User{}, identity.UserNotFound()
}

// DeleteAccount implements ports.Profiles: every hook first (a failure
// leaves the account in place to retry), then the user's outstanding
// challenges, then the user.
func (s *Service) DeleteAccount(ctx context.Context, userID string) error {
	if _, err := s.users.ByID(ctx, userID); err != nil {
		return fmt.Errorf("identitysvc: delete account: %w", err)
	}
	for _, h := range s.hooks {
		if err := h.UserDeleted(ctx, userID); err != nil {
			return fmt.Errorf("identitysvc: delete account: hook: %w", err)
		}
	}
	for _, p := range identity.Purposes() {
		if _, err := s.challenges.DeleteChallenges(ctx, userID, p); err != nil {
			return fmt.Errorf("identitysvc: delete account: challenges: %w", err)
		}
	}
	if err := s.users.Delete(ctx, userID); err != nil {
		return fmt.Errorf("identitysvc: delete account: %w", err)
	}
	return nil
}
