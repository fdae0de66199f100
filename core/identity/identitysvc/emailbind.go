package identitysvc

import (
	"context"
	"fmt"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// bindSubject is what a bind code is bound to beside its purpose: the
// account and the address, so a code works only for the account that asked
// and the address it was sent to.
func bindSubject(userID, addr string) string { return userID + "\n" + addr }

// SendBindCode implements ports.Passwordless. The cooldown and budget are
// the address's, whichever account asks, so no one can flood a mailbox;
// whether the address is free, the code and the mail are the background's
// business, so the answer is the same either way.
func (p *Passwordless) SendBindCode(ctx context.Context, userID string, r ports.CodeRequest) error {
	addr, err := email("recipient", r.Recipient)
	if err != nil {
		return err
	}
	if err := p.s.deliverable(); err != nil {
		return err
	}
	u, err := p.s.users.ByID(ctx, userID)
	if err != nil {
		return fmt.Errorf("identitysvc: bind code: %w", err)
	}
	key, err := p.key(ctx)
	if err != nil {
		return err
	}
	if err := p.admit(ctx, r, "email_bind", identity.PurposeEmailBind, identity.RecipientKey(key, identity.PurposeEmailBind, addr)); err != nil {
		return err
	}
	return p.deferred(ctx, "send bind code", func(ctx context.Context) error {
		return p.sendBindCode(ctx, key, u, addr)
	})
}

// sendBindCode mails a bind code to addr unless an account has it.
func (p *Passwordless) sendBindCode(ctx context.Context, key []byte, u identity.User, addr string) error {
	if _, taken, err := found(p.s.users.ByEmail(ctx, addr)); err != nil || taken {
		return err
	}
	code, err := p.issue(ctx, key, identity.PurposeEmailBind, bindSubject(u.ID, addr), addr, u.ID)
	if err != nil {
		return err
	}
	return p.s.notifier.Notify(ctx, ports.Notification{
		Channel: "email", Recipient: addr, Name: u.DisplayName(), Locale: u.Locale,
		Purpose: identity.PurposeEmailBind, Code: code,
	})
}

// BindEmail implements ports.Passwordless. An address another account has
// by now is refused before the code is spent; the store's handle
// uniqueness settles a race with a concurrent registration.
func (p *Passwordless) BindEmail(ctx context.Context, userID, addr, code, _ string) (identity.User, error) {
	e, err := email("email", addr)
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
	if owner, taken, err := found(p.s.users.ByEmail(ctx, e)); err != nil {
		return identity.User{}, fmt.Errorf("identitysvc: bind email: %w", err)
	} else if taken && owner.ID != userID {
		return identity.User{}, emailTaken()
	}
	if _, err := p.redeem(ctx, key, identity.PurposeEmailBind, bindSubject(userID, e), code, userID); err != nil {
		return identity.User{}, err
	}
	u, err := p.s.modify(ctx, "bind email", userID, func(cur identity.User) (identity.User, error) {
		cur.Email, cur.EmailVerified = e, true
		return cur, nil
	})
	if fault.ReasonOf(err) == "identity.email_taken" {
		return identity.User{}, emailTaken()
	}
	return u, err
}

// emailTaken is the refusal of an address another account has.
func emailTaken() error {
	return fault.New(fault.Conflict, "identity.email_taken", "This email address belongs to another account.")
}
