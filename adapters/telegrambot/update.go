package telegrambot

import (
	"context"
	"fmt"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// keyUpdate claims an update_id; Telegram keeps an update at most 24 hours,
// so a claim that long outlives every redelivery.
const (
	keyUpdate = "telegram:update:"
	updateTTL = 24 * time.Hour
)

// allowedUpdates are the update kinds the bot asks for.
var allowedUpdates = []string{"message", "callback_query"}

// HandleUpdate applies one update, once: its update_id is claimed in the
// shared cache first, and an update whose id was claimed before (a
// redelivery to a webhook, a poll that takes over from a replica that died
// before confirming) changes nothing. It returns an error only when the
// claim cannot be made; then nothing was applied, and the update should
// come again. What goes wrong while applying it is told to the user.
func (b *Bot) HandleUpdate(ctx context.Context, u tgbotapi.Update) error {
	fresh, err := b.cache.SetNX(ctx, keyUpdate+strconv.Itoa(u.UpdateID), []byte{1}, updateTTL)
	if err != nil {
		return fmt.Errorf("telegrambot: claim update: %w", err)
	}
	if !fresh {
		return nil
	}
	switch {
	case u.Message != nil:
		b.onMessage(ctx, u.Message)
	case u.CallbackQuery != nil:
		b.onCallback(ctx, u.CallbackQuery)
	}
	return nil
}

// onMessage serves a private message: a shared contact or a command. The
// bot answers in private chats only: in a group, a code or an account's
// details would be read by others.
func (b *Bot) onMessage(ctx context.Context, m *tgbotapi.Message) {
	if m.Chat == nil || m.Chat.Type != "private" || m.From == nil || m.From.IsBot {
		return
	}
	t := textsFor(localeOf(m.From))
	if m.Contact != nil {
		b.onContact(ctx, m, t)
		return
	}
	switch m.Command() {
	case "start":
		b.onStart(ctx, m, t)
	case "me":
		b.onMe(ctx, m, t)
	case "unlink":
		b.onUnlink(ctx, m, t)
	case "sessions":
		b.onSessions(ctx, m, t)
	default:
		b.reply(ctx, m.Chat.ID, t.help, nil)
	}
}

// reply sends text, with markup when given, to chat; a failure is logged,
// as there is nobody else to tell.
func (b *Bot) reply(ctx context.Context, chat int64, text string, markup any) {
	msg := tgbotapi.NewMessage(chat, text)
	msg.ParseMode = tgbotapi.ModeHTML
	msg.DisableWebPagePreview = true
	if markup != nil {
		msg.ReplyMarkup = markup
	}
	if _, err := b.send(ctx, chat, msg, 10*b.o.CodeWait); err != nil {
		b.o.Log.WarnContext(ctx, "telegram reply failed", "err", err)
	}
}
