package telegrambot

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"gatehouse/ports"
)

// Telegram's limits on what a bot sends: about one message a second to one
// chat and thirty a second in all.
const (
	perChatPerSecond = 1
	allPerSecond     = 30
)

// Cache keys of the send budgets, one per second slot.
const (
	keyRateAll  = "telegram:rate:all:"
	keyRateChat = "telegram:rate:chat:"
)

// limiter spaces messages by Telegram's limits across every replica: each
// send takes a place in the current second's budget of its chat and of the
// bot, counted in the shared cache, and waits for the next second when
// either is full. Budgets fail open: without the cache a message goes out
// and Telegram's own 429 still holds us back.
type limiter struct {
	cache ports.Cache
	now   func() time.Time
	log   *slog.Logger
}

// wait returns once chat may be sent to, or ctx's error; it never waits
// past deadline, returning errBudget instead.
func (l *limiter) wait(ctx context.Context, chat int64, deadline time.Time) error {
	for {
		now := l.now()
		slot := now.Unix()
		ok, err := l.take(ctx, keyRateChat+strconv.FormatInt(chat, 10)+":", slot, perChatPerSecond)
		if err == nil && ok {
			ok, err = l.take(ctx, keyRateAll, slot, allPerSecond)
		}
		if err != nil {
			l.log.WarnContext(ctx, "telegram send budget unavailable; sending unthrottled", "err", err)
			return nil
		}
		if ok {
			return nil
		}
		next := time.Unix(slot+1, 0)
		if next.After(deadline) {
			return errBudget
		}
		if err := sleep(ctx, next.Sub(now)); err != nil {
			return err
		}
	}
}

// take counts one send in slot of the budget at prefix.
func (l *limiter) take(ctx context.Context, prefix string, slot int64, limit int64) (bool, error) {
	n, err := l.cache.Incr(ctx, prefix+strconv.FormatInt(slot, 10), 1, 2*time.Second)
	return n <= limit, err
}

// errBudget is a send that would wait past its deadline for our budget.
var errBudget = errors.New("telegrambot: send budget exhausted for longer than the message may wait")

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// send sends c to chat within Telegram's limits, waiting at most maxWait
// for them in all (our budgets and 429 retry_after); past that it returns
// the last error (a *tgbotapi.Error for a 429) or errBudget.
func (b *Bot) send(ctx context.Context, chat int64, c tgbotapi.Chattable, maxWait time.Duration) (tgbotapi.Message, error) {
	deadline := b.o.Now().Add(maxWait)
	for {
		if err := b.limits.wait(ctx, chat, deadline); err != nil {
			return tgbotapi.Message{}, err
		}
		msg, err := b.with(ctx).Send(c)
		wait, flood := retryAfter(err)
		if !flood {
			return msg, err
		}
		if b.o.Now().Add(wait).After(deadline) {
			return tgbotapi.Message{}, err
		}
		if err := sleep(ctx, wait); err != nil {
			return tgbotapi.Message{}, err
		}
	}
}

// apiError returns err's Bot API error, if it is one.
func apiError(err error) (*tgbotapi.Error, bool) {
	var e *tgbotapi.Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// retryAfter reports whether err is flood control (429) and how long
// Telegram asks to wait (at least a second).
func retryAfter(err error) (time.Duration, bool) {
	e, ok := apiError(err)
	if !ok || e.Code != http.StatusTooManyRequests {
		return 0, false
	}
	return time.Duration(max(e.RetryAfter, 1)) * time.Second, true
}
