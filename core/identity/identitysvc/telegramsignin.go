package identitysvc

import (
	"context"
	"fmt"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
)

// sourceTelegram is the Source of accounts made by a Telegram sign-in.
const sourceTelegram = "telegram"

// SignInWidget implements ports.TelegramSignIn.
func (t *Telegram) SignInWidget(ctx context.Context, fields map[string]string) (identity.User, error) {
	p, err := identity.VerifyTelegramWidget(fields, t.botToken, t.s.clock.Now(), t.maxAge)
	if err != nil {
		return identity.User{}, err
	}
	return t.signIn(ctx, p)
}

// SignInWebApp implements ports.TelegramSignIn.
func (t *Telegram) SignInWebApp(ctx context.Context, initData string) (identity.User, error) {
	p, err := identity.VerifyTelegramWebApp(initData, t.botToken, t.s.clock.Now(), t.maxAge)
	if err != nil {
		return identity.User{}, err
	}
	return t.signIn(ctx, p)
}

// signIn returns the account linked to a Telegram user whose data Telegram
// signed, making one when so configured. Of concurrent first sign-ins the
// store lets one Create in; the others find its account.
func (t *Telegram) signIn(ctx context.Context, p identity.TelegramProfile) (identity.User, error) {
	u, ok, err := found(t.s.users.ByTelegramID(ctx, p.ID))
	switch {
	case err != nil:
		return identity.User{}, fmt.Errorf("identitysvc: telegram account: %w", err)
	case ok && !u.Active():
		return identity.User{}, identity.Blocked()
	case ok:
		return u, nil
	case !t.create:
		return identity.User{}, identity.TelegramNoAccount()
	}
	nu, err := t.newTelegramUser(p)
	if err != nil {
		return identity.User{}, err
	}
	created, err := t.s.users.Create(ctx, nu)
	if fault.ReasonOf(err) == identity.ReasonTelegramTaken {
		return t.Linked(ctx, p.ID)
	}
	if err != nil {
		return identity.User{}, fmt.Errorf("identitysvc: create telegram account: %w", err)
	}
	return created, nil
}

// newTelegramUser is the account a first Telegram sign-in makes: linked to
// the Telegram user, named as Telegram names them, in their language. Its
// password hash is the service's dummy hash, so a password sign-in fails
// until a reset sets one.
func (t *Telegram) newTelegramUser(p identity.TelegramProfile) (identity.User, error) {
	id, err := t.s.randomHex(16)
	if err != nil {
		return identity.User{}, err
	}
	var roles []string
	if _, ok := t.s.catalog.Role(identity.RoleUser); ok {
		roles = []string{identity.RoleUser}
	}
	now := t.s.clock.Now()
	return identity.User{
		ID: id, TelegramID: p.ID, FirstName: p.FirstName, LastName: p.LastName, PasswordHash: t.s.dummyHash,
		Roles: roles, Locale: p.Locale(), Source: sourceTelegram, Status: identity.StatusActive,
		CreatedAt: now, UpdatedAt: now,
	}, nil
}
