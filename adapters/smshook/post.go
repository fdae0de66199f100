package smshook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"gatehouse/core/delivery"
	"gatehouse/ports"
)

// maxAnswer bounds what is read of an answer.
const maxAnswer = 16 << 10

// post sends one signed request. retry says another attempt may succeed;
// wait is the receiver's Retry-After, zero when it gave none.
func (c *Channel) post(ctx context.Context, id string, body []byte) (ports.DeliveryResult, time.Duration, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.o.URL, bytes.NewReader(body))
	if err != nil {
		return ports.DeliveryResult{}, 0, false, delivery.Unavailable(Name, fmt.Errorf("smshook: request: %w", err), 0)
	}
	stamp := strconv.FormatInt(c.o.Now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(HeaderTimestamp, stamp)
	req.Header.Set(HeaderSignature, Sign(c.o.Secret, stamp, body))
	req.Header.Set(HeaderDelivery, id)
	resp, err := c.client.Do(req)
	if err != nil {
		return ports.DeliveryResult{}, 0, ctx.Err() == nil, delivery.Unavailable(Name, fmt.Errorf("smshook: post: %w", err), 0)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswer)) // the answer is optional
	cause := fmt.Errorf("smshook: receiver answered %s", resp.Status)
	switch code := resp.StatusCode; {
	case code >= 200 && code < 300:
		return ports.DeliveryResult{Channel: Name, ID: answerID(resp.Header.Get("Content-Type"), raw, id)}, 0, false, nil
	case code == http.StatusTooManyRequests:
		wait := retryAfter(resp.Header.Get("Retry-After"), c.o.Now())
		return ports.DeliveryResult{}, wait, true, delivery.Unavailable(Name, cause, wait)
	case code >= 500:
		return ports.DeliveryResult{}, 0, true, delivery.Unavailable(Name, cause, 0)
	case code == http.StatusUnauthorized || code == http.StatusForbidden || code == http.StatusNotFound ||
		code == http.StatusMethodNotAllowed || code == http.StatusRequestEntityTooLarge || code == http.StatusUnsupportedMediaType:
		// Our URL, secret or format is wrong: every message would fail alike.
		return ports.DeliveryResult{}, 0, false, delivery.Unavailable(Name, cause, 0)
	default:
		// 400, 422...: the provider will not take this message, this
		// recipient; another channel may.
		return ports.DeliveryResult{}, 0, false, delivery.Unreachable(Name, cause)
	}
}

// answerID is the receiver's "id" from a JSON answer, else ours.
func answerID(contentType string, raw []byte, ours string) string {
	if mt, _, _ := mime.ParseMediaType(contentType); mt != "application/json" {
		return ours
	}
	var a struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(raw, &a) != nil || len(a.ID) == 0 {
		return ours
	}
	var s string
	if json.Unmarshal(a.ID, &s) == nil && s != "" {
		return s
	}
	if _, err := strconv.ParseFloat(string(a.ID), 64); err == nil {
		return string(a.ID)
	}
	return ours
}
