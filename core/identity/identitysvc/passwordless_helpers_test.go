package identitysvc_test

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"gatehouse/core/captcha"
	"gatehouse/core/identity"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/ports"
)

// codeKey is the fixtures' code key.
var codeKey = bytes.Repeat([]byte{7}, 32)

type staticKeys struct{}

func (staticKeys) CodeKey(context.Context) ([]byte, error) { return codeKey, nil }

// fakeCaptcha passes every token but "" (required) and "bad" (invalid),
// and counts the checks.
type fakeCaptcha struct {
	mu     sync.Mutex
	checks []string
}

func (c *fakeCaptcha) Verify(_ context.Context, token, _, action string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.checks = append(c.checks, action)
	switch token {
	case "":
		return captcha.Required()
	case "bad":
		return captcha.Invalid("test")
	}
	return nil
}

// phones records the phone codes sent.
type phones struct {
	mu   sync.Mutex
	sent []ports.Message
}

func (p *phones) Name() string { return "test" }

func (p *phones) Send(_ context.Context, m ports.Message) (ports.DeliveryResult, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sent = append(p.sent, m)
	return ports.DeliveryResult{Channel: "test"}, nil
}

func (p *phones) all() []ports.Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]ports.Message(nil), p.sent...)
}

// lastCode returns the code last sent to phone.
func (p *phones) lastCode(tb testing.TB, phone string) string {
	tb.Helper()
	all := p.all()
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].Recipient == phone {
			return all[i].Code
		}
	}
	tb.Fatalf("no code was sent to %s", phone)
	return ""
}

// addedChallenges records every challenge stored.
type addedChallenges struct {
	ports.ChallengeStore
	mu    sync.Mutex
	added []identity.Challenge
}

func (a *addedChallenges) AddChallenge(ctx context.Context, c identity.Challenge) error {
	a.mu.Lock()
	a.added = append(a.added, c)
	a.mu.Unlock()
	return a.ChallengeStore.AddChallenge(ctx, c)
}

type pwFixture struct {
	fixture
	pw      *identitysvc.Passwordless
	captcha *fakeCaptcha
	phones  *phones
	stored  *addedChallenges
}

// newPasswordless builds Passwordless over a fresh fixture; edit, when
// given, changes its Deps.
func newPasswordless(tb testing.TB, edit func(*identitysvc.PasswordlessDeps)) pwFixture {
	tb.Helper()
	var stored *addedChallenges
	f := newFixtureWith(tb, nil, func(d *identitysvc.Deps) {
		stored = &addedChallenges{ChallengeStore: d.Challenges}
		d.Challenges = stored
	})
	pf := pwFixture{fixture: f, captcha: &fakeCaptcha{}, phones: &phones{}, stored: stored}
	d := identitysvc.PasswordlessDeps{
		Captcha: pf.captcha, Phones: pf.phones, Keys: staticKeys{}, PhoneRegion: "RU",
		CreateOnPhoneLogin: true, LoginLinkURL: "https://app.example.com/signin",
	}
	if edit != nil {
		edit(&d)
	}
	var err error
	if pf.pw, err = identitysvc.NewPasswordless(f.svc, d); err != nil {
		tb.Fatal(err)
	}
	return pf
}

// send asks for a phone code with a passing captcha from ip.
func (f pwFixture) sendPhone(tb testing.TB, phone, ip string) {
	tb.Helper()
	if err := f.pw.SendPhoneCode(context.Background(), ports.CodeRequest{Recipient: phone, CaptchaToken: "ok", IP: ip}); err != nil {
		tb.Fatalf("SendPhoneCode(%s): %v", phone, err)
	}
}

// phoneUser signs in by phone with a fresh code and returns the account.
func (f pwFixture) phoneUser(tb testing.TB, phone string) identity.User {
	tb.Helper()
	f.sendPhone(tb, phone, "198.51.100.1")
	e164, err := identity.NormalizePhone("phone", phone, "RU")
	if err != nil {
		tb.Fatal(err)
	}
	u, err := f.pw.PhoneLogin(context.Background(), phone, f.phones.lastCode(tb, e164), "198.51.100.1")
	if err != nil {
		tb.Fatalf("PhoneLogin(%s): %v", phone, err)
	}
	return u
}
