// Package delivery holds the rules of sending one-time codes to phones over
// several channels: which faults of a channel hand the message on to the
// next one, and in which order channels are tried for a recipient.
package delivery

import (
	"time"

	"gatehouse/core/fault"
)

// The stable reasons of delivery faults, as ports.CodeChannel documents them.
// A channel's own failures carry "delivery.<channel>.unavailable" (see
// Unavailable), so logs and metrics tell the channels apart.
const (
	// ReasonUnreachable: this channel cannot reach this recipient (Telegram
	// Gateway says it cannot send to the number, no bot chat is linked to
	// the phone); another channel may.
	ReasonUnreachable = "delivery.unreachable"
	// ReasonBadRecipient: the recipient is not a number any channel can use.
	ReasonBadRecipient = "delivery.bad_recipient"
	// ReasonNoChannel: every channel was tried and none delivered.
	ReasonNoChannel = "delivery.no_channel"
)

// UnavailableReason is the reason of channel's Unavailable faults.
func UnavailableReason(channel string) string {
	return "delivery." + channel + ".unavailable"
}

// Unreachable is the fault for a recipient channel cannot reach.
func Unreachable(channel string, cause error) error {
	return &fault.Error{Code: fault.Unavailable, Reason: ReasonUnreachable,
		Message: "The code cannot be delivered over " + channel + " to this recipient.", Err: cause}
}

// Unavailable is the fault for a channel that cannot deliver now: down,
// throttling us past our patience, refusing our credentials, or answering
// what we do not understand. retryAfter is zero when unknown.
func Unavailable(channel string, cause error, retryAfter time.Duration) error {
	return &fault.Error{Code: fault.Unavailable, Reason: UnavailableReason(channel),
		Message: "The code could not be sent; try again later.", RetryAfter: retryAfter, Err: cause}
}

// BadRecipient is the fault for a recipient that is not a phone number in
// E.164 form; no channel is tried for it.
func BadRecipient(cause error) error {
	return &fault.Error{Code: fault.Invalid, Reason: ReasonBadRecipient,
		Message: "The phone number cannot receive codes.", Err: cause}
}

// NoChannel is the fault when every channel failed; last is the last
// channel's fault, kept as the cause.
func NoChannel(last error) error {
	return &fault.Error{Code: fault.Unavailable, Reason: ReasonNoChannel,
		Message: "The code could not be sent; try again later.", RetryAfter: retryAfterOf(last), Err: last}
}

func retryAfterOf(err error) time.Duration {
	if fe, ok := fault.As(err); ok {
		return fe.RetryAfter
	}
	return 0
}
