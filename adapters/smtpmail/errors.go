package smtpmail

import (
	"context"
	"errors"
	"fmt"
	"strings"

	gomail "github.com/wneessen/go-mail"

	"gatehouse/core/fault"
)

// The fault reasons of ports.Notifier.
const (
	reasonUnavailable  = "notify.unavailable"
	reasonBadRecipient = "notify.bad_recipient"
)

func badRecipient(err error) error {
	return fault.Wrap(err, fault.Invalid, reasonBadRecipient, "This email address cannot receive mail.")
}

func unavailable(err error) error {
	return fault.Wrap(err, fault.Unavailable, reasonUnavailable, "Email delivery is unavailable now; try again later.")
}

// classify turns a go-mail error into the Notifier's faults: a permanent
// (5xx) refusal of the recipient is the recipient's fault; anything else —
// no connection, a timeout, TLS or login failure, a 4xx, a refused sender —
// means the channel cannot take the message now.
func classify(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return unavailable(fmt.Errorf("smtpmail: send: %w: %w", context.Cause(ctx), err))
	}
	var se *gomail.SendError
	if errors.As(err, &se) && rejectsRecipient(se) {
		return badRecipient(fmt.Errorf("smtpmail: send: %w", err))
	}
	return unavailable(fmt.Errorf("smtpmail: send: %w", err))
}

// rejectsRecipient reports whether se is a permanent refusal of the
// recipient: 5xx to RCPT TO, or a 5xx with an addressing status (RFC 3463
// 5.1.x) to the message itself, which is how servers that check recipients
// late refuse them.
func rejectsRecipient(se *gomail.SendError) bool {
	if se.IsTemp() || se.ErrorCode() < 500 || se.ErrorCode() > 599 {
		return false
	}
	switch se.Reason {
	case gomail.ErrSMTPRcptTo:
		return true
	case gomail.ErrSMTPData, gomail.ErrSMTPDataClose:
		return strings.HasPrefix(se.EnhancedStatusCode(), "5.1.")
	}
	return false
}
