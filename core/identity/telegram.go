package identity

import (
	"strings"
	"time"

	"gatehouse/core/fault"
)

// PurposeTelegramLink is the purpose of a link token: the single-use token a
// signed-in user takes to the Telegram bot (t.me/<bot>?start=<token>) so
// the bot links the Telegram user who brings it to the account.
const PurposeTelegramLink Purpose = "telegram_link"

// TelegramLinkTTL is how long a link token lives.
const TelegramLinkTTL = 10 * time.Minute

// TelegramProfile is what Telegram tells of one of its users: in a bot
// update, or in Login Widget or Mini App data whose signature was checked.
type TelegramProfile struct {
	ID           int64 // the Telegram user id; in a private chat, also the chat id
	FirstName    string
	LastName     string
	Username     string
	LanguageCode string // IETF tag the user's client is set to; may be ""
	PhotoURL     string
	AuthDate     time.Time // when Telegram signed login data; zero in bot updates
}

// Locale is the language the user is written to in: Russian when the
// client is set to it, else English.
func (p TelegramProfile) Locale() Locale {
	return LocaleOfTag(p.LanguageCode)
}

// LocaleOfTag maps an IETF language tag ("ru", "ru-RU", "en-US") to a
// supported Locale; anything but Russian is English.
func LocaleOfTag(tag string) Locale {
	if t := strings.ToLower(strings.TrimSpace(tag)); t == "ru" || strings.HasPrefix(t, "ru-") || strings.HasPrefix(t, "ru_") {
		return LocaleRU
	}
	return LocaleEN
}

// The reasons of the Telegram faults.
const (
	ReasonTelegramTaken       = "identity.telegram_taken"
	ReasonTelegramLinked      = "identity.telegram_linked"
	ReasonTelegramNotLinked   = "identity.telegram_not_linked"
	ReasonTelegramAuthInvalid = "identity.telegram_auth_invalid"
	ReasonTelegramAuthExpired = "identity.telegram_auth_expired"
	ReasonContactNotOwn       = "identity.contact_not_own"
)

// TelegramTaken is the fault for a Telegram user linked to another account.
func TelegramTaken() error {
	return fault.New(fault.Conflict, ReasonTelegramTaken, "This Telegram account is linked to another account.")
}

// TelegramLinked is the fault for linking an account that is linked to
// another Telegram user already: it must be unlinked first.
func TelegramLinked() error {
	return fault.New(fault.Conflict, ReasonTelegramLinked, "This account is already linked to another Telegram account; unlink it first.")
}

// TelegramNotLinked is the fault for a Telegram user, or an account, with
// no link.
func TelegramNotLinked() error {
	return fault.New(fault.NotFound, ReasonTelegramNotLinked, "No account is linked to this Telegram account.")
}

// TelegramAuthInvalid is the one answer to login data whose signature does
// not hold or whose fields are malformed.
func TelegramAuthInvalid() error {
	return fault.New(fault.Unauthenticated, ReasonTelegramAuthInvalid, "The Telegram sign-in data are not valid.")
}

// TelegramAuthExpired is the fault for login data signed too long ago.
func TelegramAuthExpired() error {
	return fault.New(fault.Unauthenticated, ReasonTelegramAuthExpired, "The Telegram sign-in data are too old; sign in again.")
}

// ContactNotOwn is the fault for a contact that is not the sender's own:
// people can share other people's contacts, which prove nothing.
func ContactNotOwn() error {
	return fault.New(fault.Forbidden, ReasonContactNotOwn, "Only your own contact can verify your phone number.")
}

// CheckOwnContact decides whether a contact shared by sender proves the
// sender's phone: only when Telegram says the contact is the sender
// (contact.user_id equals the sender's id). A forwarded or typed contact
// has another or no user id.
func CheckOwnContact(senderID, contactUserID int64) error {
	if senderID == 0 || contactUserID != senderID {
		return ContactNotOwn()
	}
	return nil
}

// TelegramContactPhone normalises the phone of a Telegram contact to
// E.164. Telegram gives contacts' numbers in international form, not
// always with the leading "+", so the digits are read as international
// whatever the server's default region.
func TelegramContactPhone(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw != "" && !strings.HasPrefix(raw, "+") {
		raw = "+" + raw
	}
	return NormalizePhone("phone_number", raw, "")
}

// TelegramNoAccount is the answer to a Telegram sign-in whose user has no
// linked account when accounts are not made at sign-in.
func TelegramNoAccount() error {
	return fault.New(fault.Unauthenticated, ReasonTelegramNotLinked, "No account is linked to this Telegram account; sign in another way and link it first.")
}
