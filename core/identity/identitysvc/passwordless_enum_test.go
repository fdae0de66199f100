package identitysvc_test

import (
	"context"
	"testing"

	"gatehouse/core/identity"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/ports"
)

// countedPhones counts phone lookups beside countedUsers' email and login ones.
type countedPhones struct{ countedUsers }

func (u countedPhones) ByPhone(ctx context.Context, phone string) (identity.User, error) {
	u.c.n.Add(1)
	return u.UserStore.ByPhone(ctx, phone)
}

// enumFixture is a Passwordless whose background holds its tasks and
// whose user lookups are counted; accounts are not made by phone, so an
// unknown phone is really unknown.
func enumFixture(t testing.TB) (pwFixture, *heldTasks, *storeCalls) {
	t.Helper()
	calls, held := &storeCalls{}, &heldTasks{}
	base := newFixtureWith(t, func(u ports.UserStore) ports.UserStore { return countedPhones{countedUsers{u, calls}} },
		func(d *identitysvc.Deps) { d.Background = held })
	f := pwFixture{fixture: base, captcha: &fakeCaptcha{}, phones: &phones{}}
	var err error
	f.pw, err = identitysvc.NewPasswordless(base.svc, identitysvc.PasswordlessDeps{
		Captcha: f.captcha, Phones: f.phones, Keys: staticKeys{}, PhoneRegion: "RU",
		LoginLinkURL: "https://app.example.com/signin",
	})
	if err != nil {
		t.Fatal(err)
	}
	return f, held, calls
}

// TestSendsAnswerAlikeForKnownAndUnknownRecipients: for every send, a
// recipient with an account (or, for binding, a free address) and one
// without get the same answer after the same request-path work: no lookup
// of the recipient, one deferred task. Only the deferred work tells them
// apart, by sending or not. Equal work is what makes equal timing; the
// benchmarks below show the distributions.
func TestSendsAnswerAlikeForKnownAndUnknownRecipients(t *testing.T) {
	ctx := context.Background()
	f, held, calls := enumFixture(t)
	owner := f.register(t, ports.Registration{Login: "owner", Email: "owner@example.com", Password: pw})
	owner.Phone = phone
	if err := f.users.Update(ctx, owner); err != nil {
		t.Fatal(err)
	}
	asker := f.register(t, ports.Registration{Login: "asker", Password: pw})
	held.run(ctx)

	sends := []struct {
		name       string
		send       func(to string) error
		sent       func() int
		yes, no    string
		yesIsKnown bool
	}{
		{"phone code", func(to string) error {
			return f.pw.SendPhoneCode(ctx, ports.CodeRequest{Recipient: to, CaptchaToken: "ok", IP: "198.51.100.1"})
		}, func() int { return len(f.phones.all()) }, phone, "+79991234568", true},
		{"login link", func(to string) error {
			return f.pw.SendLoginLink(ctx, ports.CodeRequest{Recipient: to, CaptchaToken: "ok", IP: "198.51.100.1"})
		}, func() int { return len(f.notes.of(identity.PurposeEmailLogin)) }, "owner@example.com", "nobody@example.com", true},
		{"bind code", func(to string) error {
			return f.pw.SendBindCode(ctx, asker.ID, ports.CodeRequest{Recipient: to, CaptchaToken: "ok", IP: "198.51.100.1"})
		}, func() int { return len(f.notes.of(identity.PurposeEmailBind)) }, "free@example.com", "owner@example.com", false},
	}
	for _, s := range sends {
		for _, to := range []string{s.yes, s.no} {
			before, sentBefore := calls.n.Load(), s.sent()
			if err := s.send(to); err != nil {
				t.Fatalf("%s to %s: %v", s.name, to, err)
			}
			if n := calls.n.Load() - before; n != 0 {
				t.Errorf("%s to %s: %d recipient lookups on the request path, want 0", s.name, to, n)
			}
			if n := held.run(ctx); n != 1 {
				t.Errorf("%s to %s: %d deferred tasks, want 1", s.name, to, n)
			}
			if sent := s.sent() - sentBefore; sent != map[bool]int{true: 1, false: 0}[to == s.yes] {
				t.Errorf("%s to %s: %d sent", s.name, to, sent)
			}
		}
	}
}

// BenchmarkSendAnswer measures the request path of each send for a
// recipient with an account and one without, side by side, so their
// distributions can be compared (go test -bench SendAnswer -count 10 |
// benchstat). The deferred work is dropped, as a queue would take it.
func BenchmarkSendAnswer(b *testing.B) {
	ctx := context.Background()
	for _, known := range []bool{true, false} {
		name := map[bool]string{true: "known", false: "unknown"}[known]
		b.Run("phone/"+name, func(b *testing.B) {
			f, held, _ := enumFixture(b)
			if known {
				u := f.register(b, ports.Registration{Login: "owner", Password: pw})
				u.Phone = phone
				if err := f.users.Update(ctx, u); err != nil {
					b.Fatal(err)
				}
			}
			for b.Loop() {
				f.clock.Advance(identity.MaxCodeTTL) // past the cooldown and into a new budget slot now and then
				if err := f.pw.SendPhoneCode(ctx, ports.CodeRequest{Recipient: phone, CaptchaToken: "ok"}); err != nil {
					b.Fatal(err)
				}
				held.tasks = nil
			}
		})
	}
}
