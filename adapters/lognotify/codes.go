package lognotify

import (
	"context"
	"log/slog"
	"time"

	"gatehouse/core/delivery"
	"gatehouse/ports"
)

// ChannelName is the CodeChannel's name in config.
const ChannelName = "log"

// CodeMessage is the message of every record the CodeChannel writes.
const CodeMessage = "phone code"

// CodeChannel is the development ports.CodeChannel: it writes each phone
// code to the log. The app wires it in dev mode only.
type CodeChannel struct {
	log *slog.Logger
}

var _ ports.CodeChannel = (*CodeChannel)(nil)

// NewCodeChannel returns a CodeChannel that writes to log.
func NewCodeChannel(log *slog.Logger) *CodeChannel {
	return &CodeChannel{log: log}
}

// Name returns "log".
func (c *CodeChannel) Name() string { return ChannelName }

// Send writes one info record, message "phone code", with the attributes
// channel, recipient, purpose, code and ttl. It reaches every E.164 number
// and refuses anything else, as the real channels do.
func (c *CodeChannel) Send(ctx context.Context, m ports.Message) (ports.DeliveryResult, error) {
	if err := delivery.CheckRecipient(m.Recipient); err != nil {
		return ports.DeliveryResult{}, err
	}
	c.log.LogAttrs(ctx, slog.LevelInfo, CodeMessage,
		slog.String("channel", ChannelName),
		slog.String("recipient", m.Recipient),
		slog.String("purpose", string(m.Purpose)),
		slog.String("code", m.Code),
		slog.String("ttl", m.TTL.Round(time.Second).String()),
	)
	return ports.DeliveryResult{Channel: ChannelName}, nil
}
