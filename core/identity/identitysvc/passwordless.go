package identitysvc

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// PasswordlessDeps is what Passwordless needs besides the Service.
type PasswordlessDeps struct {
	// Captcha checks the token of every send; required (a "none" adapter
	// serves development).
	Captcha ports.Captcha
	// Phones sends phone codes; nil means no phone channel is set up, and
	// SendPhoneCode answers fault.Unavailable identity.delivery_disabled.
	Phones ports.CodeChannel
	// Keys gives the key codes are hashed under; required.
	Keys   ports.CodeKeys
	Policy identity.CodePolicy
	// PhoneRegion is the region numbers without a country code are read
	// in (ISO 3166 alpha-2, such as "RU"); "" accepts only international
	// spellings.
	PhoneRegion string
	// CreateOnPhoneLogin makes the first sign-in of a new phone create its
	// account; when false, unknown phones get no code and the answer of a
	// wrong one.
	CreateOnPhoneLogin bool
	// LoginLinkURL is where a mailed sign-in link lands: an absolute http(s)
	// URL in which "{token}" is replaced by the token, or to which a
	// "token" query parameter is added.
	LoginLinkURL string
}

// Passwordless implements ports.Passwordless on the identity Service: its
// store, cache, clock, random source, mail channel, background and
// budgets. It is safe for concurrent use.
type Passwordless struct {
	s        *Service
	captcha  ports.Captcha
	phones   ports.CodeChannel
	keys     ports.CodeKeys
	policy   identity.CodePolicy
	region   string
	create   bool
	linkBase string
}

var _ ports.Passwordless = (*Passwordless)(nil)

// NewPasswordless checks d and returns the passwordless use cases over s.
func NewPasswordless(s *Service, d PasswordlessDeps) (*Passwordless, error) {
	switch {
	case s == nil:
		return nil, errors.New("identitysvc: passwordless: Service is required")
	case d.Captcha == nil:
		return nil, errors.New("identitysvc: passwordless: Captcha is required")
	case d.Keys == nil:
		return nil, errors.New("identitysvc: passwordless: Keys is required")
	case !identity.ValidPhoneRegion(d.PhoneRegion):
		return nil, fmt.Errorf("identitysvc: passwordless: unknown phone region %q", d.PhoneRegion)
	}
	if err := d.Policy.Validate(); err != nil {
		return nil, fmt.Errorf("identitysvc: passwordless: %w", err)
	}
	u, err := url.Parse(d.LoginLinkURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("identitysvc: passwordless: login link URL %q: want an absolute http(s) URL", d.LoginLinkURL)
	}
	return &Passwordless{
		s: s, captcha: d.Captcha, phones: d.Phones, keys: d.Keys, policy: d.Policy.WithDefaults(),
		region: d.PhoneRegion, create: d.CreateOnPhoneLogin, linkBase: d.LoginLinkURL,
	}, nil
}

// Cache key prefixes of the passwordless flows; recipients appear only as
// identity.RecipientKey.
const (
	keyCodeAttempts = "identity:otp:attempts:"
	keyCodeCooldown = "identity:otp:cooldown:"
	keyCodeBudget   = "identity:otp:budget:"
)

// key returns the code key, refusing one too short to protect six digits.
func (p *Passwordless) key(ctx context.Context) ([]byte, error) {
	k, err := p.keys.CodeKey(ctx)
	if err != nil {
		return nil, fmt.Errorf("identitysvc: code key: %w", err)
	}
	if len(k) < identity.MinCodeKeyBytes {
		return nil, fmt.Errorf("identitysvc: code key has %d bytes, want at least %d", len(k), identity.MinCodeKeyBytes)
	}
	return k, nil
}

// admit is the part of every send that is the same for every recipient:
// the captcha, the budget of the client address, the recipient's cooldown
// and its budget. rk names the recipient in counters.
func (p *Passwordless) admit(ctx context.Context, r ports.CodeRequest, action string, purpose identity.Purpose, rk string) error {
	if err := p.captcha.Verify(ctx, r.CaptchaToken, r.IP, action); err != nil {
		return fmt.Errorf("identitysvc: %s: %w", action, err)
	}
	if err := p.budget(ctx, "send_ip", "ip", r.IP, p.policy.PerIP); err != nil {
		return err
	}
	if err := p.cooldown(ctx, rk); err != nil {
		return err
	}
	return p.budget(ctx, "send_"+string(purpose), "r", rk, p.policy.PerRecipient)
}

// budget counts one send against a budget of the policy, in fixed windows
// aligned to Policy.Window; beyond limit it is fault.RateLimited
// identity.throttled with RetryAfter at the window's end. An empty value
// (no client address known) is not counted.
func (p *Passwordless) budget(ctx context.Context, action, kind, value string, limit int) error {
	if value == "" {
		return nil
	}
	now, w := p.s.clock.Now(), p.policy.Window
	slot := now.UnixNano() / int64(w)
	key := keyCodeBudget + action + ":" + kind + ":" + identity.HashSecret(value)[:32] + ":" + strconv.FormatInt(slot, 10)
	n, err := p.s.cache.Incr(ctx, key, 1, w)
	if err != nil {
		return fmt.Errorf("identitysvc: count %s: %w", action, err)
	}
	if n > int64(limit) {
		wait := time.Unix(0, (slot+1)*int64(w)).Sub(now)
		return &fault.Error{
			Code: fault.RateLimited, Reason: "identity.throttled",
			Message: "Too many codes asked for; try again later.", RetryAfter: wait.Truncate(time.Second) + time.Second,
		}
	}
	return nil
}

// cooldown claims the recipient's cooldown, or says how long it still runs.
// The claim holds its end time, so a refusal names the true wait.
func (p *Passwordless) cooldown(ctx context.Context, rk string) error {
	now := p.s.clock.Now()
	end := now.Add(p.policy.Cooldown)
	ok, err := p.s.cache.SetNX(ctx, keyCodeCooldown+rk, []byte(strconv.FormatInt(end.UnixMilli(), 10)), p.policy.Cooldown)
	if err != nil {
		return fmt.Errorf("identitysvc: code cooldown: %w", err)
	}
	if ok {
		return nil
	}
	wait := p.policy.Cooldown
	if v, found, err := p.s.cache.Get(ctx, keyCodeCooldown+rk); err == nil && found {
		if ms, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			wait = max(time.UnixMilli(ms).Sub(now), time.Second)
		}
	}
	return identity.ErrCodeCooldown(wait)
}

// issue stores a fresh code for subject (what the code is bound to beside
// its purpose) sent to target, replacing the outstanding ones, and resets
// the subject's attempt count: each code has the whole budget. It returns
// the code.
func (p *Passwordless) issue(ctx context.Context, key []byte, purpose identity.Purpose, subject, target, userID string) (string, error) {
	var err error
	if purpose == identity.PurposeEmailBind {
		_, err = p.s.challenges.DeleteChallenges(ctx, userID, purpose)
	} else {
		_, err = p.s.challenges.DeleteTargetChallenges(ctx, target, purpose)
	}
	if err != nil {
		return "", fmt.Errorf("identitysvc: replace codes: %w", err)
	}
	// A fresh code may equal a spent one of the same recipient (one in a
	// million); its ID is then taken, and another code is drawn.
	for range 3 {
		b, err := p.s.randomBytes(identity.OTPRandomBytes)
		if err != nil {
			return "", err
		}
		code, err := identity.OTPFromRandom(b)
		if err != nil {
			return "", err
		}
		c := identity.NewChallenge(code, p.policy.Spec(purpose, target, userID), p.s.clock.Now())
		c.ID = identity.CodeID(key, purpose, subject, code)
		err = p.s.challenges.AddChallenge(ctx, c)
		if fault.Is(err, fault.Conflict) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("identitysvc: add code: %w", err)
		}
		if err := p.s.cache.Delete(ctx, keyCodeAttempts+identity.RecipientKey(key, purpose, subject)); err != nil {
			return "", fmt.Errorf("identitysvc: reset code attempts: %w", err)
		}
		return code, nil
	}
	return "", fmt.Errorf("identitysvc: add code: %w", identity.ErrCodeInvalid())
}

// redeem spends one presentation of code for subject: it counts the
// attempt first, whatever the code (so guessing spends the budget), then
// finds, judges and consumes the code, once. userID is the account the code
// must be bound to ("" for codes bound to none).
func (p *Passwordless) redeem(ctx context.Context, key []byte, purpose identity.Purpose, subject, code, userID string) (identity.Challenge, error) {
	now := p.s.clock.Now()
	n, err := p.s.cache.Incr(ctx, keyCodeAttempts+identity.RecipientKey(key, purpose, subject), 1, p.policy.TTL+attemptsMargin)
	if err != nil {
		return identity.Challenge{}, fmt.Errorf("identitysvc: count code attempt: %w", err)
	}
	pr := identity.Presented{Attempt: int(n), Purpose: purpose, UserID: userID}
	if wellFormedCode(code) {
		pr.Stored, pr.Found, err = p.find(ctx, identity.CodeID(key, purpose, subject, code))
		if err != nil {
			return identity.Challenge{}, err
		}
	}
	if err := p.policy.Judge(pr, now); err != nil {
		return identity.Challenge{}, err
	}
	return pr.Stored, p.spend(ctx, pr.Stored)
}

// find looks a challenge up by ID; absent (or spent) is no error.
func (p *Passwordless) find(ctx context.Context, id string) (identity.Challenge, bool, error) {
	c, err := p.s.challenges.Challenge(ctx, id)
	switch {
	case fault.Is(err, fault.NotFound):
		return identity.Challenge{}, false, nil
	case err != nil:
		return identity.Challenge{}, false, fmt.Errorf("identitysvc: find code: %w", err)
	}
	return c, true, nil
}

// spend consumes c; of concurrent presentations exactly one wins, and the
// others read as a wrong code.
func (p *Passwordless) spend(ctx context.Context, c identity.Challenge) error {
	err := p.s.challenges.ConsumeChallenge(ctx, c.ID)
	switch {
	case err == nil:
		return nil
	case fault.Is(err, fault.Conflict), fault.Is(err, fault.NotFound):
		return identity.ErrCodeInvalid()
	default:
		return fmt.Errorf("identitysvc: consume code: %w", err)
	}
}

// wellFormedCode reports whether code is OTPDigits decimal digits; any
// other presentation is wrong without a lookup.
func wellFormedCode(code string) bool {
	if len(code) != identity.OTPDigits {
		return false
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// requireCode refuses an empty code as a form error on field.
func requireCode(field, code string) error {
	if strings.TrimSpace(code) == "" {
		return fault.Invalidf(field, "required", "%s is required", field)
	}
	return nil
}

// deferred runs the recipient-dependent part of a send off the request
// path and logs its failure: the caller's answer never depends on it.
func (p *Passwordless) deferred(ctx context.Context, what string, task func(context.Context) error) error {
	return p.s.later(ctx, what, func(ctx context.Context) {
		if err := task(ctx); err != nil {
			p.s.log.WarnContext(ctx, "identity: "+what, "error", err)
		}
	})
}
