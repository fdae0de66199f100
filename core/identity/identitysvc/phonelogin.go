package identitysvc

import (
	"context"
	"fmt"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// sourcePhone is the Source of accounts made by a first phone sign-in.
const sourcePhone = "phone"

// SendPhoneCode implements ports.Passwordless. After the checks that are
// the same for every number, it answers at once; finding whether the phone
// may sign in, storing its code and sending it happen in the background,
// so a number with an account, without one, or unreachable by every
// channel all look and take alike.
func (p *Passwordless) SendPhoneCode(ctx context.Context, r ports.CodeRequest) error {
	phone, err := identity.NormalizePhone("recipient", r.Recipient, p.region)
	if err != nil {
		return err
	}
	if p.phones == nil {
		return fault.New(fault.Unavailable, "identity.delivery_disabled", "Phone codes are not configured on this server.")
	}
	key, err := p.key(ctx)
	if err != nil {
		return err
	}
	if err := p.admit(ctx, r, "phone_otp", identity.PurposePhoneLogin, identity.RecipientKey(key, identity.PurposePhoneLogin, phone)); err != nil {
		return err
	}
	return p.deferred(ctx, "send phone code", func(ctx context.Context) error {
		return p.sendPhoneCode(ctx, key, phone, r.Locale)
	})
}

// sendPhoneCode issues and sends a phone's code, unless accounts are not
// made by phone and the phone has none.
func (p *Passwordless) sendPhoneCode(ctx context.Context, key []byte, phone string, locale identity.Locale) error {
	if !p.create {
		_, ok, err := found(p.s.users.ByPhone(ctx, phone))
		if err != nil || !ok {
			return err
		}
	}
	code, err := p.issue(ctx, key, identity.PurposePhoneLogin, phone, phone, "")
	if err != nil {
		return err
	}
	res, err := p.phones.Send(ctx, ports.Message{
		Recipient: phone, Code: code, TTL: p.policy.TTL, Locale: locale, Purpose: identity.PurposePhoneLogin,
	})
	if err != nil {
		return fmt.Errorf("deliver phone code: %w", err)
	}
	p.s.log.DebugContext(ctx, "identity: phone code sent", "channel", res.Channel)
	return nil
}

// PhoneLogin implements ports.Passwordless.
func (p *Passwordless) PhoneLogin(ctx context.Context, phone, code, _ string) (identity.User, error) {
	e164, err := identity.NormalizePhone("phone", phone, p.region)
	if err != nil {
		return identity.User{}, err
	}
	if err := requireCode("otp", code); err != nil {
		return identity.User{}, err
	}
	key, err := p.key(ctx)
	if err != nil {
		return identity.User{}, err
	}
	if _, err := p.redeem(ctx, key, identity.PurposePhoneLogin, e164, code, ""); err != nil {
		return identity.User{}, err
	}
	u, err := p.phoneAccount(ctx, e164)
	if err != nil {
		return identity.User{}, err
	}
	if !u.Active() {
		return identity.User{}, fault.New(fault.Forbidden, "identity.blocked", "This account is blocked.")
	}
	return u, nil
}

// phoneAccount returns the account of a phone that just proved itself,
// marking the phone verified, or makes one when so configured. Of
// concurrent first sign-ins the store lets one Create in; the others find
// its account.
func (p *Passwordless) phoneAccount(ctx context.Context, phone string) (identity.User, error) {
	u, ok, err := found(p.s.users.ByPhone(ctx, phone))
	switch {
	case err != nil:
		return identity.User{}, fmt.Errorf("identitysvc: phone account: %w", err)
	case ok && u.PhoneVerified:
		return u, nil
	case ok:
		return p.s.modify(ctx, "verify phone", u.ID, func(cur identity.User) (identity.User, error) {
			cur.PhoneVerified = cur.Phone == phone
			return cur, nil
		})
	case !p.create:
		return identity.User{}, identity.ErrCodeInvalid()
	}
	nu, err := p.newPhoneUser(phone)
	if err != nil {
		return identity.User{}, err
	}
	created, err := p.s.users.Create(ctx, nu)
	if fault.ReasonOf(err) == "identity.phone_taken" {
		if u, ok, err := found(p.s.users.ByPhone(ctx, phone)); err != nil || ok {
			return u, err
		}
	}
	if err != nil {
		return identity.User{}, fmt.Errorf("identitysvc: create phone account: %w", err)
	}
	return created, nil
}

// newPhoneUser is the account a first phone sign-in makes: the phone,
// verified, and nothing else. Its password hash is the service's dummy
// hash, of a random secret nobody knows, so a password sign-in fails like a
// wrong password until a reset sets one.
func (p *Passwordless) newPhoneUser(phone string) (identity.User, error) {
	id, err := p.s.randomHex(16)
	if err != nil {
		return identity.User{}, err
	}
	var roles []string
	if _, ok := p.s.catalog.Role(identity.RoleUser); ok {
		roles = []string{identity.RoleUser}
	}
	now := p.s.clock.Now()
	return identity.User{
		ID: id, Phone: phone, PhoneVerified: true, PasswordHash: p.s.dummyHash,
		Roles: roles, Locale: identity.LocaleEN, Source: sourcePhone, Status: identity.StatusActive,
		CreatedAt: now, UpdatedAt: now,
	}, nil
}
