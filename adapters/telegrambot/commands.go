package telegrambot

import (
	"context"
	"fmt"
	"html"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/core/sessions"
)

// profileOf is what an update tells of its sender.
func profileOf(u *tgbotapi.User) identity.TelegramProfile {
	return identity.TelegramProfile{
		ID: u.ID, FirstName: u.FirstName, LastName: u.LastName, Username: u.UserName, LanguageCode: u.LanguageCode,
	}
}

// onStart links the sender to the account of a link token (/start <token>,
// as the t.me link sends it), or greets them.
func (b *Bot) onStart(ctx context.Context, m *tgbotapi.Message, t texts) {
	token := strings.TrimSpace(m.CommandArguments())
	if token == "" {
		u, err := b.links.Linked(ctx, m.From.ID)
		switch {
		case fault.Is(err, fault.NotFound):
			b.reply(ctx, m.Chat.ID, t.notLinked, nil)
		case err != nil:
			b.fail(ctx, m.Chat.ID, t, err)
		default:
			b.reply(ctx, m.Chat.ID, t.welcome, nil)
			b.askPhone(ctx, m.Chat.ID, t, u)
		}
		return
	}
	u, err := b.links.Link(ctx, token, profileOf(m.From))
	if err != nil {
		b.fail(ctx, m.Chat.ID, t, err)
		return
	}
	b.reply(ctx, m.Chat.ID, t.linked, nil)
	b.askPhone(ctx, m.Chat.ID, t, u)
}

// askPhone offers the request_contact keyboard while the account has no
// verified phone.
func (b *Bot) askPhone(ctx context.Context, chat int64, t texts, u identity.User) {
	if u.Phone != "" && u.PhoneVerified {
		return
	}
	kb := tgbotapi.NewOneTimeReplyKeyboard(tgbotapi.NewKeyboardButtonRow(tgbotapi.NewKeyboardButtonContact(t.shareButton)))
	b.reply(ctx, chat, t.askPhone, kb)
}

// onMe shows the linked account in brief.
func (b *Bot) onMe(ctx context.Context, m *tgbotapi.Message, t texts) {
	u, err := b.links.Linked(ctx, m.From.ID)
	if err != nil {
		b.fail(ctx, m.Chat.ID, t, err)
		return
	}
	b.reply(ctx, m.Chat.ID, t.me(u), nil)
}

// onUnlink removes the sender's link.
func (b *Bot) onUnlink(ctx context.Context, m *tgbotapi.Message, t texts) {
	u, err := b.links.Linked(ctx, m.From.ID)
	if err == nil {
		_, err = b.links.Unlink(ctx, u.ID)
	}
	if err != nil {
		b.fail(ctx, m.Chat.ID, t, err)
		return
	}
	b.reply(ctx, m.Chat.ID, t.unlinked, tgbotapi.NewRemoveKeyboard(false))
}

// onContact takes a shared contact as the sender's verified phone, when it
// is the sender's own.
func (b *Bot) onContact(ctx context.Context, m *tgbotapi.Message, t texts) {
	u, err := b.links.ShareContact(ctx, m.From.ID, contactOf(m.Contact))
	if err != nil {
		b.fail(ctx, m.Chat.ID, t, err)
		return
	}
	b.reply(ctx, m.Chat.ID, fmt.Sprintf(t.phoneVerified, html.EscapeString(u.Phone)), tgbotapi.NewRemoveKeyboard(false))
}

// fail tells the user what went wrong, in words for the faults a user can
// act on; anything else is logged and answered with an apology.
func (b *Bot) fail(ctx context.Context, chat int64, t texts, err error) {
	text, ok := map[string]string{
		identity.ReasonTelegramNotLinked: t.notLinked,
		identity.ReasonTelegramTaken:     t.telegramTaken,
		identity.ReasonTelegramLinked:    t.alreadyLinked,
		identity.ReasonCodeInvalid:       t.linkInvalid,
		identity.ReasonCodeExpired:       t.linkExpired,
		identity.ReasonBlocked:           t.blocked,
		identity.ReasonContactNotOwn:     t.notOwn,
		identity.ReasonPhoneTaken:        t.phoneTaken,
		sessions.ReasonDeviceNotFound:    t.deviceGone,
	}[fault.ReasonOf(err)]
	if !ok && fault.Is(err, fault.Invalid) {
		text, ok = t.phoneInvalid, true
	}
	if !ok {
		b.o.Log.ErrorContext(ctx, "telegram update failed", "err", err)
		text = t.failed
	}
	b.reply(ctx, chat, text, nil)
}
