package identitysvc

import (
	"context"
	"fmt"

	"gatehouse/core/identity"
	"gatehouse/ports"
)

// NewLinkToken implements ports.TelegramLinks. The token is 256 bits; only
// its keyed hash is stored, as a challenge of the account.
func (t *Telegram) NewLinkToken(ctx context.Context, userID string) (ports.TelegramLinkToken, error) {
	u, err := t.s.users.ByID(ctx, userID)
	if err != nil {
		return ports.TelegramLinkToken{}, fmt.Errorf("identitysvc: telegram link token: %w", err)
	}
	if u.TelegramID != 0 {
		return ports.TelegramLinkToken{}, identity.TelegramLinked()
	}
	key, err := t.key(ctx)
	if err != nil {
		return ports.TelegramLinkToken{}, err
	}
	if _, err := t.s.challenges.DeleteChallenges(ctx, u.ID, identity.PurposeTelegramLink); err != nil {
		return ports.TelegramLinkToken{}, fmt.Errorf("identitysvc: replace telegram link tokens: %w", err)
	}
	token, err := t.s.newToken()
	if err != nil {
		return ports.TelegramLinkToken{}, err
	}
	spec := identity.ChallengeSpec{Purpose: identity.PurposeTelegramLink, UserID: u.ID, TTL: identity.TelegramLinkTTL, MaxAttempts: 1}
	c := identity.NewChallenge(token, spec, t.s.clock.Now())
	c.ID = identity.CodeID(key, identity.PurposeTelegramLink, "", token)
	if err := t.s.challenges.AddChallenge(ctx, c); err != nil {
		return ports.TelegramLinkToken{}, fmt.Errorf("identitysvc: add telegram link token: %w", err)
	}
	return ports.TelegramLinkToken{Token: token, ExpiresAt: c.ExpiresAt}, nil
}

// Link implements ports.TelegramLinks. Both sides are checked before the
// token is spent, so a refused link leaves the token for a second try
// (after an unlink); the store's uniqueness of Telegram ids decides
// between concurrent links of one Telegram user.
func (t *Telegram) Link(ctx context.Context, token string, tg identity.TelegramProfile) (identity.User, error) {
	if err := requireCode("token", token); err != nil {
		return identity.User{}, err
	}
	if tg.ID <= 0 {
		return identity.User{}, identity.TelegramAuthInvalid()
	}
	key, err := t.key(ctx)
	if err != nil {
		return identity.User{}, err
	}
	c, err := t.s.challenges.Challenge(ctx, identity.CodeID(key, identity.PurposeTelegramLink, "", token))
	switch {
	case isConflictOrNotFound(err):
		return identity.User{}, codeInvalid()
	case err != nil:
		return identity.User{}, fmt.Errorf("identitysvc: find telegram link token: %w", err)
	case c.Purpose != identity.PurposeTelegramLink:
		return identity.User{}, codeInvalid()
	case c.Expired(t.s.clock.Now()):
		return identity.User{}, identity.ErrCodeExpired()
	}
	u, ok, err := found(t.s.users.ByID(ctx, c.UserID))
	switch {
	case err != nil:
		return identity.User{}, fmt.Errorf("identitysvc: telegram link account: %w", err)
	case !ok:
		return identity.User{}, codeInvalid()
	case !u.Active():
		return identity.User{}, identity.Blocked()
	case u.TelegramID != 0 && u.TelegramID != tg.ID:
		return identity.User{}, identity.TelegramLinked()
	}
	holder, ok, err := found(t.s.users.ByTelegramID(ctx, tg.ID))
	switch {
	case err != nil:
		return identity.User{}, fmt.Errorf("identitysvc: telegram holder: %w", err)
	case ok && holder.ID != u.ID:
		return identity.User{}, identity.TelegramTaken()
	}
	if err := t.s.challenges.ConsumeChallenge(ctx, c.ID); isConflictOrNotFound(err) {
		return identity.User{}, codeInvalid()
	} else if err != nil {
		return identity.User{}, fmt.Errorf("identitysvc: spend telegram link token: %w", err)
	}
	if u.TelegramID == tg.ID {
		return u, nil
	}
	return t.s.modify(ctx, "link telegram", u.ID, func(cur identity.User) (identity.User, error) {
		if cur.TelegramID != 0 && cur.TelegramID != tg.ID {
			return identity.User{}, identity.TelegramLinked()
		}
		cur.TelegramID = tg.ID
		return cur, nil
	})
}
