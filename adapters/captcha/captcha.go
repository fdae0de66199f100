// Package captcha verifies captcha tokens server-side with the vendors'
// siteverify endpoints: Cloudflare Turnstile, hCaptcha, reCAPTCHA v2 and v3,
// plus None for development. Each vendor's answer becomes a
// core/captcha.Verdict, judged there.
package captcha

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	core "gatehouse/core/captcha"
	"gatehouse/core/fault"
	"gatehouse/ports"
)

// Options configures a Verifier. Only Secret is required.
type Options struct {
	Secret string
	// SiteKey is sent to hCaptcha, which then checks the token was made for it.
	SiteKey string
	// URL is the siteverify endpoint; empty: the vendor's own.
	URL string
	// Client sends the requests; nil: one with Timeout.
	Client *http.Client
	// Timeout bounds one siteverify request; default 5 s.
	Timeout time.Duration
	// MaxWait is the longest a 429's Retry-After (or a retry's backoff) is
	// waited out before the vendor counts as unavailable; default 2 s.
	MaxWait time.Duration
	// MinScore is reCAPTCHA v3's lowest passing score; default 0.5.
	MinScore float64
	// Action, when set, is the action every token must report, whatever
	// the caller names (a web front that uses one action for all forms).
	Action string
	// Hostnames, when set, lists the sites tokens may be solved on.
	Hostnames []string
	// FailOpen lets requests through when the vendor cannot be asked,
	// logging each one, instead of refusing them with captcha.unavailable.
	FailOpen bool
	Log      *slog.Logger
}

// vendor is what differs between siteverify dialects.
type vendor struct {
	name string
	url  string
	// idempotent vendors take an idempotency key, so a request whose
	// answer was lost may be sent again without spending the token twice.
	idempotent bool
	form       func(o Options, token, remoteIP, key string) url.Values
	verdict    func(a answer) core.Verdict
	policy     func(o Options, action string) core.Policy
}

// Verifier is a ports.Captcha for one vendor.
type Verifier struct {
	v      vendor
	o      Options
	client *http.Client
	sleep  func(ctx context.Context, d time.Duration) error
}

var _ ports.Captcha = (*Verifier)(nil)

func newVerifier(v vendor, o Options) (*Verifier, error) {
	if o.Secret == "" {
		return nil, errMissingSecret(v.name)
	}
	if o.URL == "" {
		o.URL = v.url
	}
	if o.Timeout <= 0 {
		o.Timeout = 5 * time.Second
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
	return &Verifier{v: v, o: o, client: c, sleep: sleep}, nil
}

// Name returns the vendor's name in config ("turnstile", "hcaptcha",
// "recaptcha_v2", "recaptcha_v3").
func (c *Verifier) Name() string { return c.v.name }

// Verify implements ports.Captcha with one siteverify request (retried
// only when the vendor throttles us, or when an idempotency key makes a
// repeat safe).
func (c *Verifier) Verify(ctx context.Context, token, remoteIP, action string) error {
	if err := core.CheckToken(token); err != nil {
		return err
	}
	a, err := c.ask(ctx, token, remoteIP)
	if err == nil {
		err = c.v.policy(c.o, action).Judge(c.v.verdict(a))
	}
	if err != nil && c.o.FailOpen && fault.ReasonOf(err) == core.ReasonUnavailable {
		c.o.Log.LogAttrs(ctx, slog.LevelError, "captcha vendor unavailable: letting the request through (captcha.fail_open)",
			slog.String("vendor", c.v.name), slog.String("error", err.Error()))
		return nil
	}
	return err
}

// expected is the action a token must report: the configured one, else the caller's.
func expected(o Options, action string) string {
	if o.Action != "" {
		return o.Action
	}
	return action
}
