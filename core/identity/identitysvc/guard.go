package identitysvc

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gatehouse/core/identity"
)

// loginGuard is the throttle of one sign-in attempt, per client address
// and per account. The account is the one the handle resolves to, so its
// email, its login and its username share one budget; a handle of no
// account is counted under its normalised self, so unknown and known
// handles behave alike.
//
// Every attempt is reserved with an atomic Incr before its password is
// checked and counts as failed until it succeeds, so the budgets hold
// under concurrency: of any burst at most the free attempts of the backoff
// are checked before the first wait starts (identity.Backoff.Admit), and
// at most AccountFailures per Window in all. Attempts refused or not heard
// give their reservation back. Three kinds of keys per subject: the
// reservation count, the mark the latest failure left (its number and
// wait), and the lock an exhausted budget sets. The lock is set only if
// absent, and a refusal reports the longest of the waits, so a wait once
// announced never shrinks.
type loginGuard struct {
	s       *Service
	ip      string // subject of the address, or "" when unknown
	account string // subject of the account, once resolved
	ipHeld  bool   // the address's count holds this attempt
	n       int    // the account's count including this attempt, once reserved
}

func (s *Service) newLoginGuard(ip string) *loginGuard {
	g := &loginGuard{s: s}
	if ip != "" {
		g.ip = subject("ip", ip)
	}
	return g
}

// accountSubject names whose budget an attempt spends: the account's, or
// the handle's when no account has it.
func accountSubject(u identity.User, known bool, handle string) string {
	if known {
		return subject("u", u.ID)
	}
	return subject("h", identity.NormalizeLogin(handle))
}

// admitAddress refuses the attempt while the address is locked, else
// reserves it in the address's budget, locking the address when that is
// spent. It runs before the account is looked up, so a spent address
// costs storage nothing.
func (g *loginGuard) admitAddress(ctx context.Context) error {
	if g.ip == "" {
		return nil
	}
	now := g.s.clock.Now()
	lock, err := g.until(ctx, keyLoginLock+g.ip)
	if err != nil {
		return err
	}
	if w := identity.Wait(now, lock); w > 0 {
		return throttled(w)
	}
	m, err := g.reserve(ctx, g.ip)
	if err != nil {
		return err
	}
	if m > g.s.throttle.IPFailures {
		if err := g.release(ctx, g.ip); err != nil {
			return err
		}
		return g.lock(ctx, g.ip, now)
	}
	g.ipHeld = true
	return nil
}

// admitAccount refuses the attempt while the account is locked or waits,
// else reserves it in the account's budget; beyond the free attempts it
// is heard only as identity.Backoff.Admit allows.
func (g *loginGuard) admitAccount(ctx context.Context, account string) error {
	g.account = account
	now := g.s.clock.Now()
	lock, err := g.until(ctx, keyLoginLock+account)
	if err != nil {
		return g.refuse(ctx, err)
	}
	mark, err := g.mark(ctx, account)
	if err != nil {
		return g.refuse(ctx, err)
	}
	if w := identity.Wait(now, lock, mark.Until); w > 0 {
		return g.refuse(ctx, throttled(w))
	}
	n, err := g.reserve(ctx, account)
	if err != nil {
		return g.refuse(ctx, err)
	}
	if n > g.s.throttle.AccountFailures {
		return g.refuse(ctx, g.releaseAnd(ctx, account, g.lock(ctx, account, now)))
	}
	if wait, ok := g.s.throttle.LoginBackoff.Admit(n, mark, now); !ok {
		return g.refuse(ctx, g.releaseAnd(ctx, account, throttled(wait)))
	}
	g.n = n
	return nil
}

// failed leaves the mark of this failure, or the lock when it spent the
// account's budget.
func (g *loginGuard) failed(ctx context.Context) error {
	now := g.s.clock.Now()
	if g.n >= g.s.throttle.AccountFailures {
		_, err := g.lockAt(ctx, g.account, now)
		return err
	}
	mark, ok := g.s.throttle.LoginBackoff.After(g.n, now)
	if !ok {
		return nil
	}
	v := strconv.Itoa(mark.Failures) + ":" + strconv.FormatInt(mark.Until.UnixNano(), 10)
	if err := g.s.cache.Set(ctx, keyLoginWait+g.account, []byte(v), g.s.throttle.Window); err != nil {
		return fmt.Errorf("identitysvc: store sign-in wait: %w", err)
	}
	return nil
}

// succeeded clears the account's failures and gives the address its
// reservation back: successes are not counted against an address.
func (g *loginGuard) succeeded(ctx context.Context) error {
	if err := g.s.cache.Delete(ctx, keyLoginFails+g.account, keyLoginWait+g.account); err != nil {
		return fmt.Errorf("identitysvc: reset sign-in count: %w", err)
	}
	return g.refuse(ctx, nil)
}

// unheard gives back both reservations of an attempt whose password could
// not be checked (a store or hasher failure), and returns err.
func (g *loginGuard) unheard(ctx context.Context, err error) error {
	if g.n > 0 {
		err = g.releaseAnd(ctx, g.account, err)
	}
	return g.refuse(ctx, err)
}

// refuse gives the address its reservation back and returns err.
func (g *loginGuard) refuse(ctx context.Context, err error) error {
	if g.ipHeld {
		g.ipHeld = false
		err = g.releaseAnd(ctx, g.ip, err)
	}
	return err
}

func (g *loginGuard) reserve(ctx context.Context, subj string) (int, error) {
	n, err := g.s.cache.Incr(ctx, keyLoginFails+subj, 1, g.s.throttle.Window)
	if err != nil {
		return 0, fmt.Errorf("identitysvc: count sign-in: %w", err)
	}
	return int(n), nil
}

func (g *loginGuard) release(ctx context.Context, subj string) error {
	if _, err := g.s.cache.Incr(ctx, keyLoginFails+subj, -1, g.s.throttle.Window); err != nil {
		return fmt.Errorf("identitysvc: give back sign-in count: %w", err)
	}
	return nil
}

// releaseAnd gives subj's reservation back and returns err, or the
// release's own error when that fails.
func (g *loginGuard) releaseAnd(ctx context.Context, subj string, err error) error {
	if rerr := g.release(ctx, subj); rerr != nil {
		return rerr
	}
	return err
}

// lock refuses subj for a whole Window from now, unless a lock stands
// already, and answers with the standing lock's wait.
func (g *loginGuard) lock(ctx context.Context, subj string, now time.Time) error {
	until, err := g.lockAt(ctx, subj, now)
	if err != nil {
		return err
	}
	return throttled(identity.Wait(now, until))
}

// lockAt sets subj's lock to now+Window when none stands, and returns the
// lock's until-time. Setting only an absent lock means a later lock never
// replaces an earlier one, and no other write touches it.
func (g *loginGuard) lockAt(ctx context.Context, subj string, now time.Time) (time.Time, error) {
	until := now.Add(g.s.throttle.Window)
	set, err := g.s.cache.SetNX(ctx, keyLoginLock+subj, strconv.AppendInt(nil, until.UnixNano(), 10), g.s.throttle.Window)
	if err != nil {
		return time.Time{}, fmt.Errorf("identitysvc: store sign-in lock: %w", err)
	}
	if set {
		return until, nil
	}
	return g.until(ctx, keyLoginLock+subj)
}

// until reads an instant stored at key; absent is the zero time.
func (g *loginGuard) until(ctx context.Context, key string) (time.Time, error) {
	v, ok, err := g.s.cache.Get(ctx, key)
	if err != nil || !ok {
		return time.Time{}, wrapRead(err)
	}
	ns, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return time.Time{}, wrapRead(err)
	}
	return time.Unix(0, ns), nil
}

// mark reads the mark the account's latest failure left; absent is none.
func (g *loginGuard) mark(ctx context.Context, subj string) (identity.Mark, error) {
	v, ok, err := g.s.cache.Get(ctx, keyLoginWait+subj)
	if err != nil || !ok {
		return identity.Mark{}, wrapRead(err)
	}
	n, ns, found := strings.Cut(string(v), ":")
	failures, err1 := strconv.Atoi(n)
	until, err2 := strconv.ParseInt(ns, 10, 64)
	if !found || err1 != nil || err2 != nil {
		return identity.Mark{}, wrapRead(fmt.Errorf("bad value %q", v))
	}
	return identity.Mark{Failures: failures, Until: time.Unix(0, until)}, nil
}

func wrapRead(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("identitysvc: read sign-in throttle: %w", err)
}

// forgetFailures clears the sign-in throttle of a user's account, as a
// password reset proves the person in control of it.
func (s *Service) forgetFailures(ctx context.Context, u identity.User) error {
	subj := subject("u", u.ID)
	if err := s.cache.Delete(ctx, keyLoginFails+subj, keyLoginWait+subj, keyLoginLock+subj); err != nil {
		return fmt.Errorf("identitysvc: reset sign-in counts: %w", err)
	}
	return nil
}
