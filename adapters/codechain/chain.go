// Package codechain sends phone codes over several ports.CodeChannel in the
// order config gives for each recipient: a channel that cannot reach the
// recipient, or cannot send now, hands the message to the next one. It
// counts every attempt by channel and outcome.
package codechain

import (
	"context"
	"fmt"
	"log/slog"

	"gatehouse/core/delivery"
	"gatehouse/core/fault"
	"gatehouse/ports"
)

// Name is the chain's own Name.
const Name = "chain"

// Chain is a ports.CodeChannel made of other channels.
type Chain struct {
	channels map[string]ports.CodeChannel
	routes   delivery.Routes
	metrics  *Metrics
	log      *slog.Logger
}

var _ ports.CodeChannel = (*Chain)(nil)

// New returns a chain over channels, tried in the order routes gives for
// each recipient. It fails when two channels share a name or a route names
// a channel not given; channels no route names are allowed and unused. With
// no default route (nothing configured) every other recipient gets
// delivery.no_channel.
func New(channels []ports.CodeChannel, routes delivery.Routes, metrics *Metrics, log *slog.Logger) (*Chain, error) {
	byName := make(map[string]ports.CodeChannel, len(channels))
	for _, ch := range channels {
		if _, dup := byName[ch.Name()]; dup {
			return nil, fmt.Errorf("codechain: two channels named %q", ch.Name())
		}
		byName[ch.Name()] = ch
	}
	check := func(names []string) error {
		if len(names) == 0 {
			return fmt.Errorf("codechain: a route has no channel")
		}
		for _, n := range names {
			if _, ok := byName[n]; !ok {
				return fmt.Errorf("codechain: no channel named %q", n)
			}
		}
		return nil
	}
	if len(routes.Default) > 0 {
		if err := check(routes.Default); err != nil {
			return nil, err
		}
	}
	for _, names := range routes.ByPrefix {
		if err := check(names); err != nil {
			return nil, err
		}
	}
	return &Chain{channels: byName, routes: routes, metrics: metrics, log: log}, nil
}

// Name returns "chain".
func (c *Chain) Name() string { return Name }

// Send tries the recipient's channels in order until one takes m. It stops
// at the first fault that no other channel would do better on (see
// delivery.HandsOn) and returns it; when all of them failed, it returns
// fault.Unavailable delivery.no_channel wrapping the last one's fault.
func (c *Chain) Send(ctx context.Context, m ports.Message) (ports.DeliveryResult, error) {
	if err := delivery.CheckRecipient(m.Recipient); err != nil {
		return ports.DeliveryResult{}, err
	}
	var last error
	for _, name := range c.routes.For(m.Recipient) {
		if err := ctx.Err(); err != nil {
			return ports.DeliveryResult{}, delivery.Unavailable(Name, err, 0)
		}
		res, err := c.channels[name].Send(ctx, m)
		if err == nil {
			c.metrics.sent(name)
			res.Channel = name
			return res, nil
		}
		reason := reasonOf(err)
		c.metrics.failed(name, reason)
		// The error never carries the code; the recipient stays out of
		// the log, which is not the place for phone numbers.
		c.log.LogAttrs(ctx, slog.LevelWarn, "code channel failed",
			slog.String("channel", name), slog.String("reason", reason), slog.String("error", err.Error()))
		if !delivery.HandsOn(err) {
			return ports.DeliveryResult{}, err
		}
		last = err
	}
	return ports.DeliveryResult{}, delivery.NoChannel(last)
}

// reasonOf keeps the metric label bounded: a classified fault's reason,
// else its code ("internal").
func reasonOf(err error) string {
	if r := fault.ReasonOf(err); r != "" {
		return r
	}
	return string(fault.CodeOf(err))
}
