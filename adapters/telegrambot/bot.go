// Package telegrambot is the Telegram bot: a driving adapter that links
// Telegram users to accounts (/start <token>), verifies phones by shared
// contacts, lists and ends sessions, and a driven ports.CodeChannel that
// sends phone codes to the chat linked to a phone.
//
// It speaks the Bot API through go-telegram-bot-api v5. Updates come by
// long polling, on exactly one replica at a time (a lease in the shared
// cache, see Poller), or by webhook on every replica (see Webhook); each
// update is applied once (its update_id is claimed in the shared cache).
// Outgoing messages keep to Telegram's limits (see limiter).
package telegrambot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"gatehouse/ports"
)

// Name is the code channel's name in config, logs and metrics.
const Name = "telegram"

// Options configures a Bot. Only Token is required.
type Options struct {
	// Token is the bot's token from @BotFather; it keys nothing else here.
	Token string
	// APIEndpoint is the Bot API's URL format, with two %s for the token
	// and the method; "" is tgbotapi.APIEndpoint. A self-hosted Bot API
	// server, or a test's fake, goes here.
	APIEndpoint string
	// Timeout bounds every request but the long poll; default 10 s.
	Timeout time.Duration
	// PollTimeout is getUpdates' long-poll timeout; default 25 s.
	PollTimeout time.Duration
	// LeaseTTL is how long the polling lease lives unrenewed: another
	// replica takes over about this long after the holder died; default
	// 30 s. It is renewed every third of it.
	LeaseTTL time.Duration
	// CodeWait is the longest a code waits for Telegram's limits (our own
	// and a 429's retry_after) before the next channel takes it; default
	// 3 s. Replies wait up to ten times as long.
	CodeWait time.Duration
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	Log *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.APIEndpoint == "" {
		o.APIEndpoint = tgbotapi.APIEndpoint
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.PollTimeout <= 0 {
		o.PollTimeout = 25 * time.Second
	}
	if o.LeaseTTL <= 0 {
		o.LeaseTTL = 30 * time.Second
	}
	if o.CodeWait <= 0 {
		o.CodeWait = 3 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return o
}

// Deps are the use cases and the cache the bot works with.
type Deps struct {
	Links    ports.TelegramLinks
	Sessions ports.Sessions
	Cache    ports.Cache // update claims, the polling lease, send limits
}

// Bot is the Telegram bot. It is safe for concurrent use.
type Bot struct {
	o        Options
	api      *tgbotapi.BotAPI
	links    ports.TelegramLinks
	sessions ports.Sessions
	cache    ports.Cache
	limits   *limiter
}

var _ ports.CodeChannel = (*Bot)(nil)

// New asks the Bot API who the bot is (getMe) and returns the bot. It fails
// when the token is refused or the API cannot be reached.
func New(o Options, d Deps) (*Bot, error) {
	if o.Token == "" {
		return nil, errors.New("telegrambot: a bot token is required")
	}
	if d.Links == nil || d.Sessions == nil || d.Cache == nil {
		return nil, errors.New("telegrambot: Links, Sessions and Cache are required")
	}
	o = o.withDefaults()
	// The long poll gets its own bound from its context; every other
	// request is bound by the client's timeout above the poll's.
	client := &http.Client{Timeout: o.PollTimeout + o.Timeout}
	api, err := tgbotapi.NewBotAPIWithClient(o.Token, o.APIEndpoint, scrubbing{next: client, token: o.Token})
	if err != nil {
		return nil, fmt.Errorf("telegrambot: getMe: %w", err)
	}
	b := &Bot{o: o, api: api, links: d.Links, sessions: d.Sessions, cache: d.Cache}
	b.limits = &limiter{cache: d.Cache, now: o.Now, log: o.Log}
	return b, nil
}

// Username is the bot's username, as getMe gave it.
func (b *Bot) Username() string { return b.api.Self.UserName }

// LinkURL is the deep link that opens the bot with /start <token>.
func (b *Bot) LinkURL(token string) string {
	return "https://t.me/" + b.Username() + "?start=" + url.QueryEscape(token)
}

// Name implements ports.CodeChannel.
func (b *Bot) Name() string { return Name }

// with returns the API bound to ctx: its requests end when ctx does. The
// library's calls take no context, so each call gets a shallow copy whose
// client carries it.
func (b *Bot) with(ctx context.Context) *tgbotapi.BotAPI {
	api := *b.api
	api.Client = bound{ctx: ctx, next: b.api.Client}
	return &api
}

// bound sends requests under a context.
type bound struct {
	ctx  context.Context
	next tgbotapi.HTTPClient
}

func (c bound) Do(r *http.Request) (*http.Response, error) { return c.next.Do(r.WithContext(c.ctx)) }

// scrubbing keeps the bot token out of transport errors: the library's
// request URLs carry it, and url.Error prints the URL, so a log line of a
// failed call would otherwise hold the bot's credentials.
type scrubbing struct {
	next  *http.Client
	token string
}

func (c scrubbing) Do(r *http.Request) (*http.Response, error) {
	resp, err := c.next.Do(r)
	var ue *url.Error
	if errors.As(err, &ue) {
		return nil, &url.Error{Op: ue.Op, URL: strings.ReplaceAll(ue.URL, c.token, "<token>"), Err: ue.Err}
	}
	return resp, err
}
