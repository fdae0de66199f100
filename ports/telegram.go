package ports

import (
	"context"
	"time"

	"gatehouse/core/identity"
)

// TelegramLinkToken is a fresh link token and when it dies.
type TelegramLinkToken struct {
	Token     string // 256 bits, base64url: fits a t.me ?start= parameter
	ExpiresAt time.Time
}

// TelegramContact is a contact a Telegram user shared with the bot.
type TelegramContact struct {
	PhoneNumber string // as Telegram gives it, maybe without "+"
	UserID      int64  // the contact's Telegram user, 0 when it has none
}

// TelegramLinks is the use cases behind the Telegram bot and the link
// API: linking a Telegram user to an account, and what a link is good for.
// A Telegram user is linked to one account at most and an account to one
// Telegram user (ports.UserStore keeps the id unique); no method moves a
// link silently: a taken side is a Conflict and nothing changes. Every
// method may return fault.Unavailable when storage or the cache fails.
type TelegramLinks interface {
	// NewLinkToken issues a single-use token that links the Telegram user
	// who brings it to the bot to this account, valid for
	// identity.TelegramLinkTTL; only its keyed hash is stored, and it
	// replaces the account's outstanding one. fault.NotFound
	// identity.user_not_found; fault.Conflict identity.telegram_linked when
	// the account is linked already.
	NewLinkToken(ctx context.Context, userID string) (TelegramLinkToken, error)
	// Link spends a link token and links tg to its account, which it
	// returns. fault.Unauthenticated identity.code_invalid for an unknown or
	// spent token; fault.Gone identity.code_expired; fault.Conflict
	// identity.telegram_taken when tg is linked to another account,
	// identity.telegram_linked when the account is linked to another
	// Telegram user (the token then stays unspent); fault.Forbidden
	// identity.blocked. Linking tg to the account it is linked to already
	// spends the token and changes nothing.
	Link(ctx context.Context, token string, tg identity.TelegramProfile) (identity.User, error)
	// Unlink removes the account's link and returns the account.
	// fault.NotFound identity.user_not_found, identity.telegram_not_linked.
	Unlink(ctx context.Context, userID string) (identity.User, error)
	// Linked returns the account linked to a Telegram user.
	// fault.NotFound identity.telegram_not_linked.
	Linked(ctx context.Context, telegramID int64) (identity.User, error)
	// ShareContact makes the phone of a contact the sender shared the
	// verified phone of the sender's linked account, which it returns. The
	// contact must be the sender's own (identity.CheckOwnContact):
	// fault.Forbidden identity.contact_not_own otherwise. fault.Invalid on
	// "phone_number" for a number no plan assigns; fault.NotFound
	// identity.telegram_not_linked; fault.Conflict identity.phone_taken
	// when another account has the phone (accounts are never merged).
	ShareContact(ctx context.Context, senderID int64, c TelegramContact) (identity.User, error)
	// ChatOfPhone returns the Telegram user linked to the account whose
	// verified phone this is (E.164): where that phone's codes may go.
	// fault.NotFound identity.telegram_not_linked when no such account is
	// linked, or its phone is not verified.
	ChatOfPhone(ctx context.Context, phone string) (int64, error)
}

// TelegramSignIn is signing in with Telegram's signed login data. An
// unknown Telegram user gets an account linked to it when so configured.
type TelegramSignIn interface {
	// SignInWidget checks Login Widget data (identity.VerifyTelegramWidget)
	// and returns the account linked to its user. fault.Unauthenticated
	// identity.telegram_auth_invalid or identity.telegram_auth_expired;
	// fault.Unauthenticated identity.telegram_not_linked when no account is
	// linked and none is made; fault.Forbidden identity.blocked.
	SignInWidget(ctx context.Context, fields map[string]string) (identity.User, error)
	// SignInWebApp does the same for a Mini App's initData
	// (identity.VerifyTelegramWebApp).
	SignInWebApp(ctx context.Context, initData string) (identity.User, error)
}
