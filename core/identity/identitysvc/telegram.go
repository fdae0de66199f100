package identitysvc

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// TelegramDeps is what Telegram needs besides the Service.
type TelegramDeps struct {
	// Keys gives the key link tokens are hashed under; required.
	Keys ports.CodeKeys
	// BotToken keys the signatures of Telegram login data; required.
	BotToken string
	// LoginMaxAge is how old signed login data may be; zero:
	// identity.DefaultTelegramLoginMaxAge.
	LoginMaxAge time.Duration
	// CreateOnSignIn makes a Telegram sign-in of a user with no linked
	// account create one linked to it.
	CreateOnSignIn bool
}

// Telegram implements ports.TelegramLinks and ports.TelegramSignIn on the
// identity Service. It is safe for concurrent use.
type Telegram struct {
	s        *Service
	keys     ports.CodeKeys
	botToken string
	maxAge   time.Duration
	create   bool
}

var (
	_ ports.TelegramLinks  = (*Telegram)(nil)
	_ ports.TelegramSignIn = (*Telegram)(nil)
)

// NewTelegram checks d and returns the Telegram use cases over s.
func NewTelegram(s *Service, d TelegramDeps) (*Telegram, error) {
	switch {
	case s == nil:
		return nil, errors.New("identitysvc: telegram: Service is required")
	case d.Keys == nil:
		return nil, errors.New("identitysvc: telegram: Keys is required")
	case d.BotToken == "":
		return nil, errors.New("identitysvc: telegram: BotToken is required")
	case d.LoginMaxAge < 0:
		return nil, errors.New("identitysvc: telegram: LoginMaxAge must not be negative")
	}
	if d.LoginMaxAge == 0 {
		d.LoginMaxAge = identity.DefaultTelegramLoginMaxAge
	}
	return &Telegram{s: s, keys: d.Keys, botToken: d.BotToken, maxAge: d.LoginMaxAge, create: d.CreateOnSignIn}, nil
}

// key returns the link-token key, refusing one too short.
func (t *Telegram) key(ctx context.Context) ([]byte, error) {
	k, err := t.keys.CodeKey(ctx)
	if err != nil {
		return nil, fmt.Errorf("identitysvc: code key: %w", err)
	}
	if len(k) < identity.MinCodeKeyBytes {
		return nil, fmt.Errorf("identitysvc: code key has %d bytes, want at least %d", len(k), identity.MinCodeKeyBytes)
	}
	return k, nil
}

// Linked implements ports.TelegramLinks.
func (t *Telegram) Linked(ctx context.Context, telegramID int64) (identity.User, error) {
	u, ok, err := found(t.s.users.ByTelegramID(ctx, telegramID))
	switch {
	case err != nil:
		return identity.User{}, fmt.Errorf("identitysvc: telegram account: %w", err)
	case !ok:
		return identity.User{}, identity.TelegramNotLinked()
	}
	return u, nil
}

// Unlink implements ports.TelegramLinks.
func (t *Telegram) Unlink(ctx context.Context, userID string) (identity.User, error) {
	return t.s.modify(ctx, "unlink telegram", userID, func(cur identity.User) (identity.User, error) {
		if cur.TelegramID == 0 {
			return identity.User{}, identity.TelegramNotLinked()
		}
		cur.TelegramID = 0
		return cur, nil
	})
}

// ShareContact implements ports.TelegramLinks.
func (t *Telegram) ShareContact(ctx context.Context, senderID int64, c ports.TelegramContact) (identity.User, error) {
	if err := identity.CheckOwnContact(senderID, c.UserID); err != nil {
		return identity.User{}, err
	}
	phone, err := identity.TelegramContactPhone(c.PhoneNumber)
	if err != nil {
		return identity.User{}, err
	}
	u, err := t.Linked(ctx, senderID)
	if err != nil {
		return identity.User{}, err
	}
	if u.Phone == phone && u.PhoneVerified {
		return u, nil
	}
	holder, ok, err := found(t.s.users.ByPhone(ctx, phone))
	switch {
	case err != nil:
		return identity.User{}, fmt.Errorf("identitysvc: phone holder: %w", err)
	case ok && holder.ID != u.ID:
		return identity.User{}, identity.PhoneTaken()
	}
	// The store refuses the phone too when another account took it since.
	return t.s.modify(ctx, "verify phone by contact", u.ID, func(cur identity.User) (identity.User, error) {
		if cur.TelegramID != senderID {
			return identity.User{}, identity.TelegramNotLinked()
		}
		cur.Phone, cur.PhoneVerified = phone, true
		return cur, nil
	})
}

// ChatOfPhone implements ports.TelegramLinks. Only a verified phone names
// a chat: an account could claim any number, and its chat would then get
// that number's codes.
func (t *Telegram) ChatOfPhone(ctx context.Context, phone string) (int64, error) {
	u, ok, err := found(t.s.users.ByPhone(ctx, phone))
	switch {
	case err != nil:
		return 0, fmt.Errorf("identitysvc: phone account: %w", err)
	case !ok || !u.PhoneVerified || u.TelegramID == 0:
		return 0, identity.TelegramNotLinked()
	}
	return u.TelegramID, nil
}

// codeInvalid is the one answer to a link token that names no live link:
// unknown, spent, or of an account that is gone.
func codeInvalid() error { return identity.ErrCodeInvalid() }

// isConflictOrNotFound reports the faults of a lost single use.
func isConflictOrNotFound(err error) bool {
	return fault.Is(err, fault.Conflict) || fault.Is(err, fault.NotFound)
}
