package identitysvc

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// email normalises and validates an address given on field.
func email(field, raw string) (string, error) {
	e := identity.NormalizeEmail(raw)
	if e == "" {
		return "", fault.Invalidf(field, "required", "%s is required", field)
	}
	if err := identity.ValidateEmailOn(field, e); err != nil {
		return "", err
	}
	return e, nil
}

// SendLoginLink implements ports.Passwordless: after the checks that are
// the same for every address it answers; whether the address has an
// account, and the link's token and mail, are the background's business.
func (p *Passwordless) SendLoginLink(ctx context.Context, r ports.CodeRequest) error {
	addr, err := email("recipient", r.Recipient)
	if err != nil {
		return err
	}
	if err := p.s.deliverable(); err != nil {
		return err
	}
	key, err := p.key(ctx)
	if err != nil {
		return err
	}
	if err := p.admit(ctx, r, "email_link", identity.PurposeEmailLogin, identity.RecipientKey(key, identity.PurposeEmailLogin, addr)); err != nil {
		return err
	}
	return p.deferred(ctx, "send login link", func(ctx context.Context) error {
		return p.sendLoginLink(ctx, key, addr)
	})
}

// sendLoginLink stores a link token for the account of addr, if any, and
// mails the link. The token is 256 bits; only its keyed hash is stored.
func (p *Passwordless) sendLoginLink(ctx context.Context, key []byte, addr string) error {
	u, ok, err := found(p.s.users.ByEmail(ctx, addr))
	if err != nil || !ok || !u.Active() {
		return err
	}
	if _, err := p.s.challenges.DeleteChallenges(ctx, u.ID, identity.PurposeEmailLogin); err != nil {
		return fmt.Errorf("replace login links: %w", err)
	}
	token, err := p.s.newToken()
	if err != nil {
		return err
	}
	c := identity.NewChallenge(token, p.policy.Spec(identity.PurposeEmailLogin, addr, u.ID), p.s.clock.Now())
	c.ID = identity.CodeID(key, identity.PurposeEmailLogin, "", token)
	if err := p.s.challenges.AddChallenge(ctx, c); err != nil {
		return fmt.Errorf("add login link: %w", err)
	}
	return p.s.notifier.Notify(ctx, ports.Notification{
		Channel: "email", Recipient: addr, Name: u.DisplayName(), Locale: u.Locale,
		Purpose: identity.PurposeEmailLogin, Link: p.link(token),
	})
}

// link is the sign-in link of token under LoginLinkURL.
func (p *Passwordless) link(token string) string {
	t := url.QueryEscape(token)
	if strings.Contains(p.linkBase, "{token}") {
		return strings.ReplaceAll(p.linkBase, "{token}", t)
	}
	sep := "?"
	if strings.Contains(p.linkBase, "?") {
		sep = "&"
	}
	return p.linkBase + sep + "token=" + t
}

// RedeemLoginLink implements ports.Passwordless. A wrong token finds no
// link (256 bits leave nothing to guess); presentations of a real one are
// counted against its attempt budget, and one spends it. The link is
// refused once its account no longer has the address it was sent to.
func (p *Passwordless) RedeemLoginLink(ctx context.Context, token, _ string) (identity.User, error) {
	if err := requireCode("token", token); err != nil {
		return identity.User{}, err
	}
	key, err := p.key(ctx)
	if err != nil {
		return identity.User{}, err
	}
	c, ok, err := p.find(ctx, identity.CodeID(key, identity.PurposeEmailLogin, "", token))
	if err != nil {
		return identity.User{}, err
	}
	if !ok {
		return identity.User{}, identity.ErrCodeInvalid()
	}
	n, err := p.s.cache.Incr(ctx, keyAttempts+c.ID, 1, c.ExpiresAt.Sub(p.s.clock.Now())+attemptsMargin)
	if err != nil {
		return identity.User{}, fmt.Errorf("identitysvc: count link attempt: %w", err)
	}
	pr := identity.Presented{Attempt: int(n), Found: true, Stored: c, Purpose: identity.PurposeEmailLogin, UserID: c.UserID}
	if err := p.policy.Judge(pr, p.s.clock.Now()); err != nil {
		return identity.User{}, err
	}
	if err := p.spend(ctx, c); err != nil {
		return identity.User{}, err
	}
	u, ok, err := found(p.s.users.ByID(ctx, c.UserID))
	switch {
	case err != nil:
		return identity.User{}, fmt.Errorf("identitysvc: login link account: %w", err)
	case !ok || u.Email != c.Target:
		return identity.User{}, identity.ErrCodeInvalid()
	case !u.Active():
		return identity.User{}, fault.New(fault.Forbidden, "identity.blocked", "This account is blocked.")
	case u.EmailVerified:
		return u, nil
	}
	// The mail was opened: the address is proven.
	return p.s.modify(ctx, "verify email", u.ID, func(cur identity.User) (identity.User, error) {
		cur.EmailVerified = cur.Email == c.Target
		return cur, nil
	})
}
