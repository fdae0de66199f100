package telegrambot

import (
	"context"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Cache keys of long polling: the lease that lets one replica poll, and
// the offset the last holder confirmed, so the next one goes on from there.
const (
	keyLease  = "telegram:poll:lease"
	keyOffset = "telegram:poll:offset"
)

// handleTimeout bounds the application of one update.
const handleTimeout = time.Minute

// Poller receives updates by long polling on exactly one replica: the one
// holding the lease in the shared cache. The holder renews the lease every
// third of its TTL and stops polling at once when it finds it lost; the
// others try to take it every fifth of the TTL, so one takes over about a
// TTL after the holder died. Telegram itself refuses a second concurrent
// getUpdates (409), which the holder waits out.
type Poller struct {
	b      *Bot
	id     []byte // this replica's lease value
	cancel context.CancelFunc
	done   chan struct{}
	polls  atomic.Int64
}

// NewPoller returns the poller of this replica; replicaID must differ
// between replicas (a random value does).
func (b *Bot) NewPoller(replicaID string) *Poller {
	return &Poller{b: b, id: []byte(replicaID)}
}

// Polls counts the getUpdates calls this poller made.
func (p *Poller) Polls() int64 { return p.polls.Load() }

// Start begins taking turns for the lease and polling in the background.
func (p *Poller) Start() {
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel, p.done = cancel, make(chan struct{})
	go func() {
		defer close(p.done)
		p.run(ctx)
	}()
}

// Stop ends the long poll at once (its request is cancelled), lets the
// update in hand finish, and releases the lease so another replica takes
// over without waiting for it to lapse.
func (p *Poller) Stop(ctx context.Context) error {
	if p.cancel == nil {
		return nil
	}
	p.cancel()
	select {
	case <-p.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p *Poller) run(ctx context.Context) {
	ttl := p.b.o.LeaseTTL
	for ctx.Err() == nil {
		held, err := p.b.cache.SetNX(ctx, keyLease, p.id, ttl)
		if err != nil && ctx.Err() == nil {
			p.b.o.Log.WarnContext(ctx, "telegram polling lease unavailable", "err", err)
		}
		if held {
			p.hold(ctx)
		}
		_ = sleep(ctx, ttl/5)
	}
}

// hold polls while the lease is ours, then gives it back.
func (p *Poller) hold(ctx context.Context) {
	lease, lost := context.WithCancel(ctx)
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		p.renew(lease, lost)
	}()
	p.b.o.Log.InfoContext(ctx, "telegram polling: this replica holds the lease")
	p.poll(lease)
	lost()
	<-renewed
	// The stop's context is over; the release gets a moment of its own.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.b.o.Timeout)
	defer cancel()
	if v, ok, err := p.b.cache.Get(rctx, keyLease); err == nil && ok && string(v) == string(p.id) {
		if err := p.b.cache.Delete(rctx, keyLease); err != nil {
			p.b.o.Log.WarnContext(ctx, "telegram polling lease not released; it lapses", "err", err)
		}
	}
}

// renew extends the lease every third of its TTL, and calls lost as soon
// as the lease is not found ours or cannot be checked: polling on without
// it could make two pollers.
func (p *Poller) renew(ctx context.Context, lost context.CancelFunc) {
	ttl := p.b.o.LeaseTTL
	t := time.NewTicker(ttl / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		v, ok, err := p.b.cache.Get(ctx, keyLease)
		if err == nil && ok && string(v) == string(p.id) {
			err = p.b.cache.Set(ctx, keyLease, p.id, ttl)
			if err == nil {
				continue
			}
		}
		if ctx.Err() == nil {
			p.b.o.Log.WarnContext(ctx, "telegram polling lease lost", "err", err)
		}
		lost()
		return
	}
}

// poll takes updates while lease lasts, going on from the offset the last
// holder confirmed. An update is confirmed (the offset passes it) only once
// applied; one whose claim failed comes again at the next poll.
func (p *Poller) poll(lease context.Context) {
	if _, err := p.b.with(lease).MakeRequest("deleteWebhook", nil); err != nil && lease.Err() == nil {
		p.b.o.Log.WarnContext(lease, "telegram deleteWebhook failed", "err", err)
	}
	offset := p.savedOffset(lease)
	for lease.Err() == nil {
		p.polls.Add(1)
		updates, err := p.b.with(lease).GetUpdates(tgbotapi.UpdateConfig{
			Offset: offset, Timeout: int(p.b.o.PollTimeout / time.Second), AllowedUpdates: allowedUpdates,
		})
		if err != nil {
			if lease.Err() != nil {
				return
			}
			wait := 3 * time.Second
			if w, ok := retryAfter(err); ok {
				wait = w
			}
			if e, ok := apiError(err); ok && e.Code == http.StatusConflict {
				p.b.o.Log.WarnContext(lease, "telegram getUpdates conflict: another poller or a webhook is active", "err", err)
			} else {
				p.b.o.Log.WarnContext(lease, "telegram getUpdates failed", "err", err)
			}
			_ = sleep(lease, wait)
			continue
		}
		for _, u := range updates {
			hctx, cancel := context.WithTimeout(context.WithoutCancel(lease), handleTimeout)
			err := p.b.HandleUpdate(hctx, u)
			cancel()
			if err != nil {
				p.b.o.Log.WarnContext(lease, "telegram update not applied; it comes again", "err", err)
				_ = sleep(lease, time.Second)
				break
			}
			offset = u.UpdateID + 1
			if err := p.b.cache.Set(lease, keyOffset, []byte(strconv.Itoa(offset)), updateTTL); err != nil {
				p.b.o.Log.WarnContext(lease, "telegram offset not saved", "err", err)
			}
		}
	}
}

// savedOffset is the offset the last holder confirmed, 0 when none.
func (p *Poller) savedOffset(ctx context.Context) int {
	v, ok, err := p.b.cache.Get(ctx, keyOffset)
	if err != nil || !ok {
		return 0
	}
	n, err := strconv.Atoi(string(v))
	if err != nil {
		return 0
	}
	return n
}
