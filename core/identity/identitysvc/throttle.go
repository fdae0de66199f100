package identitysvc

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
)

// Throttle bounds how often callers may fail or ask. Counters live in the
// cache, so every replica enforces the same budget. A zero field takes the
// default named beside it.
type Throttle struct {
	// Window is the period of every budget below (1h).
	Window time.Duration
	// LoginBackoff delays sign-ins to one account after consecutive
	// failures (5 free, then 1s doubling up to 1m). Attempts are reserved
	// before their password is checked, so of a parallel burst only the
	// six that need no wait are checked (see identity.Backoff.Admit).
	LoginBackoff identity.Backoff
	// AccountFailures bounds failed sign-ins per account per Window (100),
	// whichever handle names it; reaching it locks the account for a
	// whole Window.
	AccountFailures int
	// IPFailures bounds failed sign-ins per client address per Window (1000).
	IPFailures int
	// RegistrationsPerIP bounds sign-ups per client address per Window
	// (100), whichever contract they come through; sign-ups without an
	// address share one budget.
	RegistrationsPerIP int
	// EmailChecksPerIP bounds "is this email registered" per address per Window (100).
	EmailChecksPerIP int
	// ResetsPerEmail bounds reset emails per address per Window (10); beyond
	// it resets are silently not sent, so the answer stays the same.
	ResetsPerEmail int
	// ResetsPerIP bounds reset requests per client address per Window (30).
	ResetsPerIP int
	// ConfirmationsPerUser bounds confirmation emails per user per Window (5).
	ConfirmationsPerUser int
}

func (t Throttle) withDefaults() Throttle {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	if t.Window <= 0 {
		t.Window = time.Hour
	}
	if t.LoginBackoff == (identity.Backoff{}) {
		t.LoginBackoff = identity.Backoff{Free: 5, Base: time.Second, Max: time.Minute}
	}
	def(&t.AccountFailures, 100)
	def(&t.IPFailures, 1000)
	def(&t.RegistrationsPerIP, 100)
	def(&t.EmailChecksPerIP, 100)
	def(&t.ResetsPerEmail, 10)
	def(&t.ResetsPerIP, 30)
	def(&t.ConfirmationsPerUser, 5)
	return t
}

// Cache key prefixes. Handles and addresses are hashed into keys, so the
// cache holds no email address in clear and every key is short and safe.
const (
	keyLoginFails = "identity:login:fails:"
	keyLoginWait  = "identity:login:wait:"
	keyLoginLock  = "identity:login:lock:"
	keyQuota      = "identity:quota:"
	keyAttempts   = "identity:attempts:"
)

// unknownAddress is counted for requests whose client address is not
// known, where a budget must hold all the same.
const unknownAddress = "unknown"

// subject names who is counted: a kind ("h" handle, "ip" address, ...) and
// the hashed value.
func subject(kind, value string) string {
	return kind + ":" + identity.HashSecret(value)[:32]
}

// throttled is the RateLimited answer with its wait rounded up to seconds.
func throttled(wait time.Duration) error {
	if r := wait % time.Second; r != 0 {
		wait += time.Second - r
	}
	return &fault.Error{
		Code: fault.RateLimited, Reason: "identity.throttled",
		Message: "Too many attempts; try again later.", RetryAfter: wait,
	}
}

// quota counts one request of an action against subject's budget per
// Window; beyond limit the error is fault.RateLimited identity.throttled
// with RetryAfter set to the window's end.
func (s *Service) quota(ctx context.Context, action, kind, value string, limit int) error {
	within, retry, err := s.count(ctx, action, kind, value, limit)
	if err != nil {
		return err
	}
	if !within {
		return throttled(retry)
	}
	return nil
}

// count adds one request of an action to subject's counter, in fixed
// windows aligned to Window, and reports whether it stays within limit and,
// if not, how long until the window ends. An empty value (no client address
// known, as for the admin command) is not counted.
func (s *Service) count(ctx context.Context, action, kind, value string, limit int) (bool, time.Duration, error) {
	if value == "" {
		return true, 0, nil
	}
	now := s.clock.Now()
	w := s.throttle.Window
	slot := now.UnixNano() / int64(w)
	key := keyQuota + action + ":" + subject(kind, value) + ":" + strconv.FormatInt(slot, 10)
	n, err := s.cache.Incr(ctx, key, 1, w)
	if err != nil {
		return false, 0, fmt.Errorf("identitysvc: count %s: %w", action, err)
	}
	if n > int64(limit) {
		return false, time.Unix(0, (slot+1)*int64(w)).Sub(now), nil
	}
	return true, 0, nil
}
