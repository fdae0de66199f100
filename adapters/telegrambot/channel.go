package telegrambot

import (
	"context"
	"net/http"
	"strconv"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"gatehouse/core/delivery"
	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// Send implements ports.CodeChannel: the code goes to the chat of the
// Telegram user linked to the account whose verified phone m.Recipient is,
// and to no one else. A phone without such a chat, and a chat that blocked
// the bot (403) or is gone, is delivery.unreachable, so the next channel
// takes the code; Telegram down or throttling past CodeWait is
// delivery.telegram.unavailable. The code never reaches a log.
func (b *Bot) Send(ctx context.Context, m ports.Message) (ports.DeliveryResult, error) {
	chat, err := b.links.ChatOfPhone(ctx, m.Recipient)
	switch {
	case fault.Is(err, fault.NotFound):
		return ports.DeliveryResult{}, delivery.Unreachable(Name, err)
	case err != nil:
		return ports.DeliveryResult{}, delivery.Unavailable(Name, err, 0)
	}
	msg := tgbotapi.NewMessage(chat, textsFor(m.Locale).code(m.Code, m.TTL, m.Purpose))
	msg.ParseMode = tgbotapi.ModeHTML
	sent, err := b.send(ctx, chat, msg, b.o.CodeWait)
	if err != nil {
		return ports.DeliveryResult{}, classify(err)
	}
	return ports.DeliveryResult{Channel: Name, ID: strconv.Itoa(sent.MessageID)}, nil
}

// classify maps a failed send of a code to the delivery faults: a chat
// that blocked the bot, was deleted or never started it is unreachable;
// anything else makes the channel unavailable for now.
func classify(err error) error {
	if e, ok := apiError(err); ok {
		switch e.Code {
		case http.StatusForbidden, http.StatusBadRequest:
			// 403 "bot was blocked by the user", "user is deactivated";
			// 400 "chat not found".
			return delivery.Unreachable(Name, err)
		case http.StatusTooManyRequests:
			wait, _ := retryAfter(err)
			return delivery.Unavailable(Name, err, wait)
		}
	}
	// errBudget, a transport error, a 5xx: try again later.
	return delivery.Unavailable(Name, err, 0)
}

// localeOf is the language to write to a Telegram user in.
func localeOf(u *tgbotapi.User) identity.Locale {
	if u == nil {
		return identity.LocaleEN
	}
	return identity.LocaleOfTag(u.LanguageCode)
}
