package telegrambot

import (
	"context"
	"fmt"
	"html"
	"strings"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// endPrefix starts the callback data of a "sign out there" button; the
// device ID follows (callback data holds at most 64 bytes).
const endPrefix = "end:"

// maxButtons bounds the devices /sessions lists with a button.
const maxButtons = 10

// contactOf is a shared contact as the use case takes it.
func contactOf(c *tgbotapi.Contact) ports.TelegramContact {
	return ports.TelegramContact{PhoneNumber: c.PhoneNumber, UserID: c.UserID}
}

// onSessions lists the account's devices, each with a button that signs it
// out.
func (b *Bot) onSessions(ctx context.Context, m *tgbotapi.Message, t texts) {
	u, err := b.links.Linked(ctx, m.From.ID)
	if err != nil {
		b.fail(ctx, m.Chat.ID, t, err)
		return
	}
	ds, err := b.sessions.Devices(ctx, u.ID)
	if err != nil {
		b.fail(ctx, m.Chat.ID, t, err)
		return
	}
	if len(ds) == 0 {
		b.reply(ctx, m.Chat.ID, t.noSessions, nil)
		return
	}
	var lines []string
	var rows [][]tgbotapi.InlineKeyboardButton
	for i, d := range ds {
		name := deviceName(d, t)
		lines = append(lines, fmt.Sprintf("• %s — %s", html.EscapeString(name), d.LastSeen.UTC().Format("2006-01-02 15:04 UTC")))
		if i < maxButtons && len(endPrefix)+len(d.ID) <= 64 {
			rows = append(rows, tgbotapi.NewInlineKeyboardRow(
				tgbotapi.NewInlineKeyboardButtonData(fmt.Sprintf(t.endButton, short(name)), endPrefix+d.ID)))
		}
	}
	var markup any
	if len(rows) > 0 {
		markup = tgbotapi.NewInlineKeyboardMarkup(rows...)
	}
	b.reply(ctx, m.Chat.ID, t.sessionsTitle+"\n"+strings.Join(lines, "\n"), markup)
}

// onCallback serves a "sign out there" button: the device must be the
// presser's linked account's (the use case checks), whoever sent the
// button.
func (b *Bot) onCallback(ctx context.Context, q *tgbotapi.CallbackQuery) {
	if q.From == nil {
		return
	}
	t := textsFor(localeOf(q.From))
	deviceID, ok := strings.CutPrefix(q.Data, endPrefix)
	// A private chat's id is its user's id; the answer goes there.
	chat := q.From.ID
	b.answer(ctx, q.ID)
	if !ok || deviceID == "" {
		return
	}
	u, err := b.links.Linked(ctx, q.From.ID)
	if err != nil {
		b.fail(ctx, chat, t, err)
		return
	}
	name := t.unknownDevice
	if ds, err := b.sessions.Devices(ctx, u.ID); err == nil {
		for _, d := range ds {
			if d.ID == deviceID {
				name = deviceName(d, t)
			}
		}
	}
	if err := b.sessions.EndDevice(ctx, u.ID, deviceID); err != nil {
		b.fail(ctx, chat, t, err)
		return
	}
	b.reply(ctx, chat, fmt.Sprintf(t.sessionEnded, html.EscapeString(name)), nil)
}

// answer acknowledges a button press, so the client stops its spinner.
func (b *Bot) answer(ctx context.Context, id string) {
	if _, err := b.with(ctx).Request(tgbotapi.NewCallback(id, "")); err != nil {
		b.o.Log.WarnContext(ctx, "telegram callback answer failed", "err", err)
	}
}

// deviceName is how a device is shown.
func deviceName(d sessions.Device, t texts) string {
	if d.Name == "" {
		return t.unknownDevice
	}
	return d.Name
}

// short cuts a device name for a button.
func short(s string) string {
	const n = 32
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
