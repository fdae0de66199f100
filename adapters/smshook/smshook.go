// Package smshook sends phone codes to any SMS provider through a signed
// JSON webhook: gatehouse POSTs {to, text, code, ttl} to a configured URL,
// and a small receiver on the provider's side checks the signature and
// hands the text to its SMS API.
package smshook

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"gatehouse/core/delivery"
	"gatehouse/ports"
)

// Name is the channel's name in config, logs and metrics.
const Name = "smshook"

// The headers of every request. The signature is
// "sha256=" + hex(HMAC-SHA256(secret, timestamp + "." + body)), where
// timestamp is the X-Gatehouse-Timestamp value (Unix seconds) and body the
// raw request body. A delivery id names one message across retries, so a
// receiver can drop a repeat.
const (
	HeaderTimestamp = "X-Gatehouse-Timestamp"
	HeaderSignature = "X-Gatehouse-Signature"
	HeaderDelivery  = "X-Gatehouse-Delivery"
)

// Payload is the JSON body of a request.
type Payload struct {
	To   string `json:"to"`   // E.164
	Text string `json:"text"` // the SMS, in the recipient's language
	Code string `json:"code"`
	TTL  int    `json:"ttl"` // seconds the code is valid
}

// Options configures a Channel. URL and Secret are required.
type Options struct {
	URL    string
	Secret string
	// Product names the service in the text ("Your Felmee code: ...").
	Product string
	// Attempts is how many times a message is sent at most; default 3.
	Attempts int
	// MaxWait bounds the total wait between attempts (backoff from 200 ms,
	// or the receiver's Retry-After); default 5 s.
	MaxWait time.Duration
	Client  *http.Client
	Timeout time.Duration // one request; default 10 s
	Now     func() time.Time
	Log     *slog.Logger
}

// Channel is the SMS webhook ports.CodeChannel.
type Channel struct {
	o      Options
	client *http.Client
	sleep  func(ctx context.Context, d time.Duration) error
}

var _ ports.CodeChannel = (*Channel)(nil)

// New returns a Channel, or an error when o lacks a URL or a secret.
func New(o Options) (*Channel, error) {
	u, err := url.Parse(o.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("smshook: url %q: want an http(s) URL", o.URL)
	}
	if o.Secret == "" {
		return nil, errors.New("smshook: a signing secret is required")
	}
	if o.Product == "" {
		o.Product = "gatehouse"
	}
	if o.Attempts <= 0 {
		o.Attempts = 3
	}
	if o.MaxWait <= 0 {
		o.MaxWait = 5 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
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

// Name returns "smshook".
func (c *Channel) Name() string { return Name }

// Sign returns the X-Gatehouse-Signature of body sent at timestamp.
func Sign(secret, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp + "."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Send posts m to the webhook. A 2xx answer delivers it; 5xx, 429 and
// network failures are retried with backoff (a 429's Retry-After is
// honoured) within Attempts and MaxWait; other 4xx are not. The result's
// ID is the receiver's "id" when it answers JSON with one, else the
// delivery id.
func (c *Channel) Send(ctx context.Context, m ports.Message) (ports.DeliveryResult, error) {
	if err := delivery.CheckRecipient(m.Recipient); err != nil {
		return ports.DeliveryResult{}, err
	}
	body, err := json.Marshal(Payload{To: m.Recipient, Text: text(m, c.o.Product), Code: m.Code, TTL: int(m.TTL / time.Second)})
	if err != nil {
		return ports.DeliveryResult{}, fmt.Errorf("smshook: encode: %w", err)
	}
	id := newID()
	budget, backoff := c.o.MaxWait, 200*time.Millisecond
	for attempt := 1; ; attempt++ {
		res, wait, retry, err := c.post(ctx, id, body)
		if err == nil {
			return res, nil
		}
		pause := wait
		if pause == 0 {
			pause, backoff = backoff, backoff*2
		}
		if !retry || attempt >= c.o.Attempts || pause > budget {
			return ports.DeliveryResult{}, err
		}
		budget -= pause
		if serr := c.sleep(ctx, pause); serr != nil {
			return ports.DeliveryResult{}, delivery.Unavailable(Name, errors.Join(err, serr), 0)
		}
	}
}

// newID returns a random delivery id.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// retryAfter reads a Retry-After header, in seconds or as an HTTP date;
// zero when absent or unreadable.
func retryAfter(h string, now time.Time) time.Duration {
	if s, err := strconv.Atoi(h); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// sleep waits d, or until ctx is done.
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
