package tggateway

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gatehouse/core/delivery"
)

// RequestStatus is the Gateway's RequestStatus object, as far as we use it.
type RequestStatus struct {
	RequestID        string          `json:"request_id"`
	PhoneNumber      string          `json:"phone_number"`
	RequestCost      float64         `json:"request_cost"`
	IsRefunded       bool            `json:"is_refunded,omitempty"`
	RemainingBalance float64         `json:"remaining_balance,omitempty"`
	DeliveryStatus   *DeliveryStatus `json:"delivery_status,omitempty"`
	Payload          string          `json:"payload,omitempty"`
}

// DeliveryStatus is where a message is: sent, delivered, read, expired or revoked.
type DeliveryStatus struct {
	Status    string `json:"status"`
	UpdatedAt int64  `json:"updated_at"`
}

// envelope is every Gateway answer.
type envelope struct {
	OK     bool            `json:"ok"`
	Result json.RawMessage `json:"result"`
	Error  string          `json:"error"`
}

// maxAnswer bounds what is read of an answer.
const maxAnswer = 64 << 10

// operatorErrors are the Gateway's refusals of our own request, not of the
// recipient: every send would fail the same way until an operator acts.
var operatorErrors = []string{"ACCESS_TOKEN_", "BALANCE_", "SENDER_", "CALLBACK_URL_", "PAYLOAD_", "TTL_", "CODE_"}

// call posts params as JSON to method and returns the result, retrying a
// 429 within MaxWait. check marks checkSendAbility, whose refusals mean the
// recipient cannot be reached.
func (c *Channel) call(ctx context.Context, method string, params map[string]any, check bool) (RequestStatus, error) {
	body, err := json.Marshal(params)
	if err != nil {
		return RequestStatus{}, fmt.Errorf("tggateway: encode %s: %w", method, err)
	}
	budget := c.o.MaxWait
	for {
		st, wait, err := c.post(ctx, method, body, check)
		if err == nil || wait == 0 {
			return st, err
		}
		if wait > budget {
			return RequestStatus{}, err
		}
		budget -= wait
		if serr := c.sleep(ctx, wait); serr != nil {
			return RequestStatus{}, delivery.Unavailable(Name, errors.Join(err, serr), 0)
		}
	}
}

// post sends one request; wait is non-zero for a throttled one worth repeating.
func (c *Channel) post(ctx context.Context, method string, body []byte, check bool) (RequestStatus, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(c.o.BaseURL, "/")+"/"+method, bytes.NewReader(body))
	if err != nil {
		return RequestStatus{}, 0, delivery.Unavailable(Name, fmt.Errorf("tggateway: %s: %w", method, err), 0)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.o.Token)
	resp, err := c.client.Do(req)
	if err != nil {
		return RequestStatus{}, 0, delivery.Unavailable(Name, fmt.Errorf("tggateway: %s: %w", method, err), 0)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return RequestStatus{}, 0, delivery.Unavailable(Name, fmt.Errorf("tggateway: %s: read: %w", method, err), 0)
	}
	var env envelope
	jsonErr := json.Unmarshal(raw, &env)
	if resp.StatusCode == http.StatusTooManyRequests || strings.HasPrefix(env.Error, "FLOOD_WAIT") {
		wait := retryAfter(resp.Header.Get("Retry-After"), env.Error)
		cause := fmt.Errorf("tggateway: %s: throttled: %s %s", method, resp.Status, env.Error)
		return RequestStatus{}, wait, delivery.Unavailable(Name, cause, wait)
	}
	if jsonErr != nil {
		return RequestStatus{}, 0, delivery.Unavailable(Name, fmt.Errorf("tggateway: %s: %s: %w", method, resp.Status, jsonErr), 0)
	}
	if !env.OK {
		return RequestStatus{}, 0, classify(method, env.Error, check)
	}
	var st RequestStatus
	if err := json.Unmarshal(env.Result, &st); err != nil {
		return RequestStatus{}, 0, delivery.Unavailable(Name, fmt.Errorf("tggateway: %s result: %w", method, err), 0)
	}
	return st, 0, nil
}

// classify turns a Gateway error into a fault. The Gateway documents no
// list of errors: what concerns our own request is Unavailable, what
// concerns a phone number (PHONE_NUMBER_INVALID, ...) and any refusal of
// checkSendAbility is Unreachable, so another channel may still try.
func classify(method, code string, check bool) error {
	cause := fmt.Errorf("tggateway: %s: %s", method, code)
	for _, p := range operatorErrors {
		if strings.HasPrefix(code, p) {
			return delivery.Unavailable(Name, cause, 0)
		}
	}
	if check || strings.HasPrefix(code, "PHONE_") {
		return delivery.Unreachable(Name, cause)
	}
	return delivery.Unavailable(Name, cause, 0)
}

// retryAfter reads how long to wait from a Retry-After header (seconds or
// HTTP date) or a FLOOD_WAIT_<seconds> error; one second when neither says.
func retryAfter(header, code string) time.Duration {
	if s, err := strconv.Atoi(strings.TrimPrefix(code, "FLOOD_WAIT_")); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if s, err := strconv.Atoi(strings.TrimSpace(header)); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(header); err == nil && time.Until(t) > 0 {
		return time.Until(t)
	}
	return time.Second
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
