package identitysvc

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gatehouse/core/identity"
	"gatehouse/ports"
)

// loginGuard is the throttle of one sign-in attempt: the handle (as
// normalised, known or not, so an unknown account behaves exactly like a
// known one) and the client address.
//
// Every attempt is counted before the password is verified and refunded
// on success, so the budgets hold exactly under concurrency: of any burst,
// at most AccountFailures reach the hasher per Window. A "wait" key holds
// the instant before which a subject is refused; it carries both the
// exponential backoff and the lock that follows an exhausted budget, so a
// check costs one cache read per subject.
type loginGuard struct {
	s      *Service
	handle string // subject of the handle
	ip     string // subject of the address, or ""
	fails  int64  // the handle's count including this attempt
}

func (s *Service) newLoginGuard(c ports.Credentials) *loginGuard {
	g := &loginGuard{s: s, handle: subject("h", identity.NormalizeLogin(c.Handle))}
	if c.IP != "" {
		g.ip = subject("ip", c.IP)
	}
	return g
}

// admit refuses the attempt while a subject waits, else counts it.
func (g *loginGuard) admit(ctx context.Context) error {
	now := g.s.clock.Now()
	for _, subj := range []string{g.handle, g.ip} {
		if subj == "" {
			continue
		}
		if err := g.checkWait(ctx, subj, now); err != nil {
			return err
		}
	}
	t := g.s.throttle
	n, err := g.s.cache.Incr(ctx, keyLoginFails+g.handle, 1, t.Window)
	if err != nil {
		return fmt.Errorf("identitysvc: count sign-in: %w", err)
	}
	if n > int64(t.AccountFailures) {
		return g.lock(ctx, g.handle, now)
	}
	g.fails = n
	if g.ip == "" {
		return nil
	}
	m, err := g.s.cache.Incr(ctx, keyLoginFails+g.ip, 1, t.Window)
	if err != nil {
		return fmt.Errorf("identitysvc: count sign-in: %w", err)
	}
	if m > int64(t.IPFailures) {
		// The handle was counted for an attempt that is not heard.
		if _, err := g.s.cache.Incr(ctx, keyLoginFails+g.handle, -1, t.Window); err != nil {
			return fmt.Errorf("identitysvc: refund sign-in count: %w", err)
		}
		return g.lock(ctx, g.ip, now)
	}
	return nil
}

// failed imposes the backoff the handle's failures have earned.
func (g *loginGuard) failed(ctx context.Context) error {
	now := g.s.clock.Now()
	d := g.s.throttle.LoginBackoff.Delay(int(g.fails))
	if g.fails >= int64(g.s.throttle.AccountFailures) {
		d = g.s.throttle.Window
	}
	if d <= 0 {
		return nil
	}
	return g.setWait(ctx, g.handle, now.Add(d), d)
}

// succeeded clears the handle's failures and refunds the address's count.
func (g *loginGuard) succeeded(ctx context.Context) error {
	if err := g.s.cache.Delete(ctx, keyLoginFails+g.handle, keyLoginWait+g.handle); err != nil {
		return fmt.Errorf("identitysvc: reset sign-in count: %w", err)
	}
	if g.ip == "" {
		return nil
	}
	if _, err := g.s.cache.Incr(ctx, keyLoginFails+g.ip, -1, g.s.throttle.Window); err != nil {
		return fmt.Errorf("identitysvc: refund sign-in count: %w", err)
	}
	return nil
}

func (g *loginGuard) checkWait(ctx context.Context, subj string, now time.Time) error {
	v, ok, err := g.s.cache.Get(ctx, keyLoginWait+subj)
	if err != nil {
		return fmt.Errorf("identitysvc: read sign-in wait: %w", err)
	}
	if !ok {
		return nil
	}
	until, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return fmt.Errorf("identitysvc: read sign-in wait: bad value: %w", err)
	}
	if wait := time.Unix(0, until).Sub(now); wait > 0 {
		return throttled(wait)
	}
	return nil
}

// lock refuses subj for a whole Window from now.
func (g *loginGuard) lock(ctx context.Context, subj string, now time.Time) error {
	w := g.s.throttle.Window
	if err := g.setWait(ctx, subj, now.Add(w), w); err != nil {
		return err
	}
	return throttled(w)
}

func (g *loginGuard) setWait(ctx context.Context, subj string, until time.Time, ttl time.Duration) error {
	v := strconv.AppendInt(nil, until.UnixNano(), 10)
	if err := g.s.cache.Set(ctx, keyLoginWait+subj, v, ttl); err != nil {
		return fmt.Errorf("identitysvc: store sign-in wait: %w", err)
	}
	return nil
}

// forgetFailures clears the sign-in throttle of a user's handles, as a
// password reset proves the person in control of the account.
func (s *Service) forgetFailures(ctx context.Context, u identity.User) error {
	var keys []string
	for _, h := range []string{u.Login, u.Email} {
		if h != "" {
			subj := subject("h", h)
			keys = append(keys, keyLoginFails+subj, keyLoginWait+subj)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	if err := s.cache.Delete(ctx, keys...); err != nil {
		return fmt.Errorf("identitysvc: reset sign-in counts: %w", err)
	}
	return nil
}
