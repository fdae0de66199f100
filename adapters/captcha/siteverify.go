package captcha

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	core "gatehouse/core/captcha"
)

// answer is the siteverify JSON the vendors share.
type answer struct {
	Success     bool     `json:"success"`
	ErrorCodes  []string `json:"error-codes"`
	ChallengeTS string   `json:"challenge_ts"`
	Hostname    string   `json:"hostname"`
	Action      string   `json:"action"`
	Score       *float64 `json:"score"`
}

// maxAnswer bounds what is read of an answer: they are a few hundred bytes.
const maxAnswer = 64 << 10

func errMissingSecret(vendor string) error {
	return fmt.Errorf("captcha: %s needs a secret", vendor)
}

// ask posts the token and returns the vendor's answer, or captcha.unavailable.
func (c *Verifier) ask(ctx context.Context, token, remoteIP string) (answer, error) {
	key := ""
	if c.v.idempotent {
		key = newUUID()
	}
	body := c.v.form(c.o, token, remoteIP, key).Encode()
	budget := c.o.MaxWait // counted in waits, not wall time: the request timeout bounds the rest
	backoff := 100 * time.Millisecond
	for {
		a, wait, retry, err := c.post(ctx, body)
		if err == nil {
			return a, nil
		}
		if !retry || !c.v.idempotent && wait == 0 {
			return answer{}, core.Unavailable(err, wait)
		}
		pause := wait
		if pause == 0 {
			pause, backoff = backoff, backoff*2
		}
		if pause > budget {
			return answer{}, core.Unavailable(err, wait)
		}
		budget -= pause
		if serr := c.sleep(ctx, pause); serr != nil {
			return answer{}, core.Unavailable(errors.Join(err, serr), 0)
		}
	}
}

// post sends one request. retry says a repeat may succeed; wait is the
// vendor's Retry-After, zero when it gave none. A 429 is always safe to
// repeat: the vendor did not look at the token.
func (c *Verifier) post(ctx context.Context, body string) (a answer, wait time.Duration, retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.o.URL, strings.NewReader(body))
	if err != nil {
		return answer{}, 0, false, fmt.Errorf("captcha: %s request: %w", c.v.name, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return answer{}, 0, ctx.Err() == nil, fmt.Errorf("captcha: %s siteverify: %w", c.v.name, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return answer{}, 0, true, fmt.Errorf("captcha: %s read answer: %w", c.v.name, err)
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		wait := retryAfter(resp.Header.Get("Retry-After"), time.Now())
		if wait == 0 {
			wait = time.Second
		}
		return answer{}, wait, true, fmt.Errorf("captcha: %s siteverify: %s", c.v.name, resp.Status)
	case resp.StatusCode >= 500:
		return answer{}, 0, true, fmt.Errorf("captcha: %s siteverify: %s", c.v.name, resp.Status)
	}
	// Vendors answer refusals with 200 or 400 and the same JSON body.
	if err := json.Unmarshal(raw, &a); err != nil {
		return answer{}, 0, false, fmt.Errorf("captcha: %s siteverify %s: %w", c.v.name, resp.Status, err)
	}
	if !a.Success && len(a.ErrorCodes) == 0 && resp.StatusCode != http.StatusOK {
		return answer{}, 0, false, fmt.Errorf("captcha: %s siteverify: %s", c.v.name, resp.Status)
	}
	return a, 0, false, nil
}

// retryAfter reads a Retry-After header, in seconds or as an HTTP date;
// zero when absent or unreadable.
func retryAfter(h string, now time.Time) time.Duration {
	if s, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && s > 0 {
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

// newUUID returns a random (version 4) UUID, Turnstile's idempotency key.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
