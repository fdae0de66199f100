package identitysvc

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// Authenticate checks password for handle: an email address (it contains
// "@") or a login. An unknown handle and a wrong password give the same
// fault.Unauthenticated identity.bad_credentials after the same work (a
// dummy hash is verified for unknown handles). A blocked account gives
// fault.Forbidden identity.blocked, but only to someone who knows its
// password, so the state is no oracle. A hash in an older scheme or weaker
// parameters is replaced on success; failing to do so is logged, not
// returned. Attempts are throttled per client address, before the lookup,
// and per account, whichever handle names it (see Throttle and
// loginGuard): fault.RateLimited identity.throttled with RetryAfter. An
// unknown handle is throttled under its own name exactly as an account
// is, after the same lookups, so throttling tells nothing either. Under
// overload the hasher turns the attempt away first (fault.Unavailable
// with RetryAfter), before it is looked up or counted, so a flood costs
// storage nothing and spends no one's budget.
func (s *Service) Authenticate(ctx context.Context, c ports.Credentials) (identity.User, error) {
	release, err := s.hasher.Admit(ctx)
	if err != nil {
		return identity.User{}, fmt.Errorf("identitysvc: authenticate: %w", err)
	}
	defer release()
	g := s.newLoginGuard(c.IP)
	if err := g.admitAddress(ctx); err != nil {
		return identity.User{}, err
	}
	u, known, err := s.lookup(ctx, c.Handle)
	if err != nil {
		return identity.User{}, g.refuse(ctx, fmt.Errorf("identitysvc: authenticate: %w", err))
	}
	if err := g.admitAccount(ctx, accountSubject(u, known, c.Handle)); err != nil {
		return identity.User{}, err
	}
	hash := s.dummyHash
	if known {
		hash = u.PasswordHash
	}
	ok, rehash, err := s.hasher.Verify(ctx, hash, c.Password)
	if err != nil {
		return identity.User{}, g.unheard(ctx, fmt.Errorf("identitysvc: authenticate: %w", err))
	}
	if !known || !ok {
		if err := g.failed(ctx); err != nil {
			return identity.User{}, err
		}
		return identity.User{}, badCredentials()
	}
	if err := g.succeeded(ctx); err != nil {
		return identity.User{}, err
	}
	if !u.Active() {
		return identity.User{}, identity.Blocked()
	}
	if rehash {
		u = s.rehash(ctx, u, c.Password)
	}
	return u, nil
}

// lookup finds the user by handle. An email-shaped handle is looked up as
// an email and as a login (a login may be an address that is not the
// account's email), the email winning; both lookups always run, so their
// number does not tell whether the email is known.
func (s *Service) lookup(ctx context.Context, handle string) (identity.User, bool, error) {
	login := identity.NormalizeLogin(handle)
	if login == "" {
		return identity.User{}, false, nil
	}
	if !identity.LooksLikeEmail(handle) {
		return found(s.users.ByLogin(ctx, login))
	}
	byEmail, okEmail, errEmail := found(s.users.ByEmail(ctx, identity.NormalizeEmail(handle)))
	byLogin, okLogin, errLogin := found(s.users.ByLogin(ctx, login))
	switch {
	case errEmail != nil:
		return identity.User{}, false, errEmail
	case okEmail:
		return byEmail, true, nil
	default:
		return byLogin, okLogin, errLogin
	}
}

// found turns a store lookup into (user, found, error), not-found being no
// error.
func found(u identity.User, err error) (identity.User, bool, error) {
	switch {
	case err == nil:
		return u, true, nil
	case fault.Is(err, fault.NotFound):
		return identity.User{}, false, nil
	default:
		return identity.User{}, false, err
	}
}

// rehash stores a fresh hash of the password the user just proved, unless
// the stored hash changed since it was verified (a password reset won; its
// hash stands). It returns the user as stored, or u when nothing was
// stored: the sign-in stands and the next one tries again.
func (s *Service) rehash(ctx context.Context, u identity.User, password string) identity.User {
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		s.log.WarnContext(ctx, "identity: rehash password", slog.String("user_id", u.ID), slog.Any("error", err))
		return u
	}
	next, err := s.modify(ctx, "rehash", u.ID, func(cur identity.User) (identity.User, error) {
		if cur.PasswordHash != u.PasswordHash {
			return identity.User{}, errHashReplaced
		}
		cur.PasswordHash = hash
		return cur, nil
	})
	switch {
	case errors.Is(err, errHashReplaced):
		return u
	case err != nil:
		s.log.WarnContext(ctx, "identity: store rehashed password", slog.String("user_id", u.ID), slog.Any("error", err))
		return u
	}
	return next
}

// errHashReplaced stops a rehash whose user got another password meanwhile.
var errHashReplaced = errors.New("identitysvc: password hash replaced meanwhile")

func badCredentials() error {
	return identity.BadCredentials()
}
