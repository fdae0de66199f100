package ports

import (
	"context"
	"time"

	"gatehouse/core/identity"
)

// Message is a one-time code for a phone.
type Message struct {
	Recipient string // E.164, "+79991234567"
	Code      string // the code itself, digits
	TTL       time.Duration
	Locale    identity.Locale
	Purpose   identity.Purpose
}

// DeliveryResult says which channel took a message and how it knows it.
type DeliveryResult struct {
	Channel string // the Name of the channel that accepted the message
	// ID is the channel's own id of the message (Telegram Gateway's
	// request_id), for its delivery reports; empty when it has none.
	ID string
}

// CodeChannel sends one-time codes to phones: Telegram Gateway, an SMS
// provider, the Telegram bot chat linked to a phone, the log in development.
// Several are tried in order by a chain that is itself a CodeChannel; the
// faults below tell it whether the next channel should try.
type CodeChannel interface {
	// Name is the channel's name in config, logs and metrics ("tggateway",
	// "smshook", "telegram", "log").
	Name() string
	// Send delivers m, or hands it to a provider that will, and returns
	// nil, or:
	//   - fault.Unavailable delivery.unreachable: this channel cannot reach
	//     this recipient (Telegram Gateway's checkSendAbility says no, no bot
	//     chat is linked to the phone); the next channel should try;
	//   - fault.Unavailable delivery.<name>.unavailable: the channel is down,
	//     throttles us (RetryAfter set when known) or refuses our own
	//     request; the next channel should try;
	//   - fault.Invalid delivery.bad_recipient: m.Recipient is not E.164 or
	//     the provider says no such number exists; no channel will do better.
	// A chain returns fault.Unavailable delivery.no_channel, wrapping the last
	// channel's fault, when every channel failed.
	//
	// The code is a secret: no channel logs it outside development.
	Send(ctx context.Context, m Message) (DeliveryResult, error)
}
