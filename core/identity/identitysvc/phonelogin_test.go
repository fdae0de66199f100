package identitysvc_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/ports"
)

const phone = "+79991234567"

func TestPhoneLoginCreatesOneAccountForEverySpelling(t *testing.T) {
	f := newPasswordless(t, nil)
	first := f.phoneUser(t, "+7 999 123-45-67")
	if first.Phone != phone || !first.PhoneVerified || first.Source != "phone" || first.Email != "" {
		t.Fatalf("new phone account = %+v", first)
	}
	for _, spelling := range []string{"8 (999) 123 45 67", "79991234567"} {
		f.clock.Advance(time.Minute)
		if u := f.phoneUser(t, spelling); u.ID != first.ID {
			t.Fatalf("%q signed in as %s, want the account %s", spelling, u.ID, first.ID)
		}
	}
	if all, _ := f.users.List(context.Background(), 0, 10); len(all) != 1 {
		t.Fatalf("%d accounts, want 1", len(all))
	}
	if msg := f.phones.all()[0]; len(msg.Code) != 6 || msg.TTL != 10*time.Minute || msg.Purpose != identity.PurposePhoneLogin {
		t.Fatalf("message = %+v; want a six-digit phone_login code living 10m", msg)
	}
}

func TestPhoneCodeIsStoredOnlyAsAKeyedHash(t *testing.T) {
	f := newPasswordless(t, nil)
	f.sendPhone(t, phone, "198.51.100.1")
	code := f.phones.lastCode(t, phone)
	c := f.stored.added[0]
	want := identity.CodeID(codeKey, identity.PurposePhoneLogin, phone, code)
	if c.ID != want || c.ID == identity.HashSecret(code) || strings.Contains(c.ID, code) {
		t.Fatalf("stored ID %q; want the keyed hash %q", c.ID, want)
	}
	if c.Target != phone || c.Purpose != identity.PurposePhoneLogin || c.ExpiresAt.Sub(c.CreatedAt) != 10*time.Minute || c.MaxAttempts != 5 {
		t.Fatalf("stored challenge = %+v", c)
	}
}

func TestPhoneCodeRefusals(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		run    func(f pwFixture, code string) error
		code   fault.Code
		reason string
	}{
		{"used twice", func(f pwFixture, code string) error {
			if _, err := f.pw.PhoneLogin(ctx, phone, code, ""); err != nil {
				return err
			}
			_, err := f.pw.PhoneLogin(ctx, phone, code, "")
			return err
		}, fault.Unauthenticated, identity.ReasonCodeInvalid},
		{"another phone", func(f pwFixture, code string) error {
			_, err := f.pw.PhoneLogin(ctx, "+79991234568", code, "")
			return err
		}, fault.Unauthenticated, identity.ReasonCodeInvalid},
		{"for binding an email", func(f pwFixture, code string) error {
			u := f.register(t, ports.Registration{Login: "binder", Password: "correct horse battery"})
			_, err := f.pw.BindEmail(ctx, u.ID, "a@example.com", code, "")
			return err
		}, fault.Unauthenticated, identity.ReasonCodeInvalid},
		{"expired", func(f pwFixture, code string) error {
			f.clock.Advance(10 * time.Minute)
			_, err := f.pw.PhoneLogin(ctx, phone, code, "")
			return err
		}, fault.Gone, identity.ReasonCodeExpired},
		{"after five wrong codes", func(f pwFixture, code string) error {
			for range 5 {
				if _, err := f.pw.PhoneLogin(ctx, phone, "000000x", ""); fault.ReasonOf(err) != identity.ReasonCodeInvalid {
					return err
				}
			}
			_, err := f.pw.PhoneLogin(ctx, phone, code, "")
			return err
		}, fault.Gone, identity.ReasonCodeExhausted},
		{"replaced by a newer code", func(f pwFixture, code string) error {
			f.clock.Advance(time.Minute)
			f.sendPhone(t, phone, "198.51.100.1")
			if f.phones.lastCode(t, phone) == code {
				return nil // drawn twice: nothing to show
			}
			_, err := f.pw.PhoneLogin(ctx, phone, code, "")
			return err
		}, fault.Unauthenticated, identity.ReasonCodeInvalid},
		{"malformed phone", func(f pwFixture, code string) error {
			_, err := f.pw.PhoneLogin(ctx, "call me", code, "")
			return err
		}, fault.Invalid, "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newPasswordless(t, nil)
			f.sendPhone(t, phone, "198.51.100.1")
			err := tt.run(f, f.phones.lastCode(t, phone))
			if fault.CodeOf(err) != tt.code || (tt.code != fault.Invalid && fault.ReasonOf(err) != tt.reason) {
				t.Fatalf("error = %v; want %s %s", err, tt.code, tt.reason)
			}
		})
	}
}

func TestPhoneSendChecksCaptchaFirst(t *testing.T) {
	f := newPasswordless(t, nil)
	for token, reason := range map[string]string{"": "captcha.required", "bad": "captcha.invalid"} {
		err := f.pw.SendPhoneCode(context.Background(), ports.CodeRequest{Recipient: phone, CaptchaToken: token, IP: "198.51.100.1"})
		wantFault(t, err, fault.Invalid, reason)
	}
	if n := len(f.phones.all()) + len(f.stored.added); n != 0 {
		t.Fatalf("%d codes stored or sent without a captcha", n)
	}
	// A refused captcha spends no cooldown: the next good one sends.
	f.sendPhone(t, phone, "198.51.100.1")
	if len(f.phones.all()) != 1 {
		t.Fatal("no code sent after a good captcha")
	}
}

func TestPhoneSendCooldownAndBudgets(t *testing.T) {
	ctx := context.Background()
	send := func(f pwFixture, to, ip string) error {
		return f.pw.SendPhoneCode(ctx, ports.CodeRequest{Recipient: to, CaptchaToken: "ok", IP: ip})
	}
	t.Run("cooldown per recipient", func(t *testing.T) {
		f := newPasswordless(t, nil)
		f.sendPhone(t, phone, "198.51.100.1")
		f.clock.Advance(20 * time.Second)
		err := send(f, "8 999 123 45 67", "198.51.100.2")
		wantFault(t, err, fault.RateLimited, identity.ReasonCodeCooldown)
		if fe, _ := fault.As(err); fe.RetryAfter != 40*time.Second {
			t.Fatalf("RetryAfter = %s, want 40s", fe.RetryAfter)
		}
		f.sendPhone(t, "+79991234568", "198.51.100.1") // another number is not held back
		f.clock.Advance(40 * time.Second)
		f.sendPhone(t, phone, "198.51.100.1")
	})
	t.Run("per recipient per hour", func(t *testing.T) {
		f := newPasswordless(t, func(d *identitysvc.PasswordlessDeps) { d.Policy.PerRecipient = 3 })
		for i := range 3 {
			f.sendPhone(t, phone, "198.51.100."+string(rune('1'+i)))
			f.clock.Advance(time.Minute)
		}
		wantFault(t, send(f, phone, "198.51.100.9"), fault.RateLimited, "identity.throttled")
	})
	t.Run("per client address per hour", func(t *testing.T) {
		f := newPasswordless(t, func(d *identitysvc.PasswordlessDeps) { d.Policy.PerIP = 2 })
		f.sendPhone(t, "+79991234561", "198.51.100.1")
		f.sendPhone(t, "+79991234562", "198.51.100.1")
		wantFault(t, send(f, "+79991234563", "198.51.100.1"), fault.RateLimited, "identity.throttled")
		f.sendPhone(t, "+79991234563", "198.51.100.2")
	})
}

func TestPhoneLoginWithoutAccountCreation(t *testing.T) {
	ctx := context.Background()
	f := newPasswordless(t, func(d *identitysvc.PasswordlessDeps) { d.CreateOnPhoneLogin = false })
	f.sendPhone(t, phone, "198.51.100.1")
	if n := len(f.phones.all()); n != 0 {
		t.Fatalf("%d codes sent to a phone without an account", n)
	}
	_, err := f.pw.PhoneLogin(ctx, phone, "123456", "")
	wantFault(t, err, fault.Unauthenticated, identity.ReasonCodeInvalid)

	u := f.register(t, ports.Registration{Login: "haver", Password: "correct horse battery"})
	u.Phone = "+79991234568"
	if err := f.users.Update(ctx, u); err != nil {
		t.Fatal(err)
	}
	got := f.phoneUser(t, "+79991234568")
	if got.ID != u.ID || !got.PhoneVerified {
		t.Fatalf("signed in as %+v, want %s with the phone verified", got, u.ID)
	}
}

func TestPhoneLoginOfABlockedAccount(t *testing.T) {
	f := newPasswordless(t, nil)
	u := f.phoneUser(t, phone)
	if _, err := f.svc.Block(context.Background(), u.ID); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Minute)
	f.sendPhone(t, phone, "198.51.100.1")
	_, err := f.pw.PhoneLogin(context.Background(), phone, f.phones.lastCode(t, phone), "")
	wantFault(t, err, fault.Forbidden, "identity.blocked")
}
