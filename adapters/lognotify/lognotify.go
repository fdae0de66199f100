// Package lognotify is the development channel for one-time codes and links:
// instead of delivering a notification it writes it to the log, so a developer
// can sign in without a mail server or a bot.
//
// It exists for dev mode only. Its records carry the secret itself, which
// gatehouse otherwise never logs, so the app refuses to wire this notifier
// outside dev mode.
package lognotify

import (
	"context"
	"log/slog"

	"gatehouse/ports"
)

// Message is the message of every record the Notifier writes.
const Message = "notification"

// Notifier writes each notification as one slog record.
type Notifier struct {
	log *slog.Logger
}

var _ ports.Notifier = (*Notifier)(nil)

// New returns a Notifier that writes to log.
func New(log *slog.Logger) *Notifier {
	return &Notifier{log: log}
}

// Notify writes exactly one info record, message "notification", with the
// attributes channel, recipient and purpose, plus code and link when n has
// them. It never fails: the log is the channel.
func (l *Notifier) Notify(ctx context.Context, n ports.Notification) error {
	attrs := make([]slog.Attr, 0, 5)
	attrs = append(attrs,
		slog.String("channel", n.Channel),
		slog.String("recipient", n.Recipient),
		slog.String("purpose", string(n.Purpose)),
	)
	if n.Code != "" {
		attrs = append(attrs, slog.String("code", n.Code))
	}
	if n.Link != "" {
		attrs = append(attrs, slog.String("link", n.Link))
	}
	l.log.LogAttrs(ctx, slog.LevelInfo, Message, attrs...)
	return nil
}
