// Package tggateway sends phone codes through the Telegram Gateway API
// (gatewayapi.telegram.org): our own code in a verification message from
// Telegram, to a phone whose owner has a Telegram account. It also receives
// the Gateway's signed delivery reports.
package tggateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"gatehouse/core/delivery"
	"gatehouse/ports"
)

// Name is the channel's name in config, logs and metrics.
const Name = "tggateway"

// BaseURL is the Gateway API's root; a method name is appended.
const BaseURL = "https://gatewayapi.telegram.org/"

// The ttl range sendVerificationMessage accepts (since February 2025).
const (
	MinTTL = 30 * time.Second
	MaxTTL = 3600 * time.Second
)

// Options configures a Channel. Only Token is required.
type Options struct {
	// Token is the Gateway API access token; it also keys the signature of
	// delivery reports.
	Token string
	// BaseURL replaces BaseURL (tests, a proxy).
	BaseURL string
	// CheckAbility calls checkSendAbility before each send, so a number
	// Telegram cannot reach is handed to the next channel before paying for
	// a message; the send that follows reuses its request_id and is free.
	CheckAbility bool
	// SenderUsername is a verified channel the message comes from; empty:
	// Telegram's own verification account.
	SenderUsername string
	// CallbackURL receives delivery reports (HTTPS, at most 256 bytes);
	// empty: none are asked for.
	CallbackURL string
	// Client sends the requests; nil: one with Timeout.
	Client  *http.Client
	Timeout time.Duration // one request; default 10 s
	// MaxWait is the longest a 429's Retry-After is waited out before the
	// channel counts as unavailable; default 2 s.
	MaxWait time.Duration
	Log     *slog.Logger
}

// Channel is the Telegram Gateway ports.CodeChannel.
type Channel struct {
	o      Options
	client *http.Client
	sleep  func(ctx context.Context, d time.Duration) error
}

var _ ports.CodeChannel = (*Channel)(nil)

// New returns a Channel, or an error when o has no token or a callback URL
// the Gateway would refuse.
func New(o Options) (*Channel, error) {
	if o.Token == "" {
		return nil, errors.New("tggateway: an access token is required")
	}
	if len(o.CallbackURL) > 256 {
		return nil, errors.New("tggateway: the callback URL is longer than 256 bytes")
	}
	if o.BaseURL == "" {
		o.BaseURL = BaseURL
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.MaxWait <= 0 {
		o.MaxWait = 2 * time.Second
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	c := o.Client
	if c == nil {
		c = &http.Client{Timeout: o.Timeout}
	}
	return &Channel{o: o, client: c, sleep: sleep}, nil
}

// Name returns "tggateway".
func (c *Channel) Name() string { return Name }

// Send asks the Gateway to deliver m.Code, with m.TTL clamped to the
// Gateway's 30 s..1 h (past the ttl an undelivered message is refunded).
// With CheckAbility a number the Gateway cannot serve is
// delivery.unreachable before any message is paid for. The result's ID is
// the Gateway's request_id, which delivery reports carry.
func (c *Channel) Send(ctx context.Context, m ports.Message) (ports.DeliveryResult, error) {
	if err := delivery.CheckRecipient(m.Recipient); err != nil {
		return ports.DeliveryResult{}, err
	}
	params := map[string]any{
		"phone_number": m.Recipient,
		"code":         m.Code,
		"ttl":          int(clampTTL(m.TTL) / time.Second),
		"payload":      string(m.Purpose),
	}
	if c.o.CheckAbility {
		st, err := c.call(ctx, "checkSendAbility", map[string]any{"phone_number": m.Recipient}, true)
		if err != nil {
			return ports.DeliveryResult{}, err
		}
		params["request_id"] = st.RequestID
	}
	if c.o.SenderUsername != "" {
		params["sender_username"] = c.o.SenderUsername
	}
	if c.o.CallbackURL != "" {
		params["callback_url"] = c.o.CallbackURL
	}
	st, err := c.call(ctx, "sendVerificationMessage", params, false)
	if err != nil {
		return ports.DeliveryResult{}, err
	}
	if st.RequestID == "" {
		return ports.DeliveryResult{}, delivery.Unavailable(Name, fmt.Errorf("tggateway: sendVerificationMessage answered no request_id"), 0)
	}
	return ports.DeliveryResult{Channel: Name, ID: st.RequestID}, nil
}

func clampTTL(ttl time.Duration) time.Duration {
	return min(max(ttl, MinTTL), MaxTTL)
}
