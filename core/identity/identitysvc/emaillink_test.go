package identitysvc_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// linkToken returns the token of the last login link mailed.
func linkToken(tb testing.TB, f pwFixture) string {
	tb.Helper()
	links := f.notes.of(identity.PurposeEmailLogin)
	if len(links) == 0 {
		tb.Fatal("no login link was mailed")
	}
	u, err := url.Parse(links[len(links)-1].Link)
	if err != nil {
		tb.Fatal(err)
	}
	return u.Query().Get("token")
}

func TestLoginLinkWorksOnce(t *testing.T) {
	ctx := context.Background()
	f := newPasswordless(t, nil)
	u := f.register(t, ports.Registration{Login: "linker", Email: "Linker@Example.com", Password: "correct horse battery"})
	if err := f.pw.SendLoginLink(ctx, ports.CodeRequest{Recipient: " linker@example.com", CaptchaToken: "ok", IP: "198.51.100.1"}); err != nil {
		t.Fatal(err)
	}
	mail := f.notes.of(identity.PurposeEmailLogin)
	if len(mail) != 1 || mail[0].Recipient != "linker@example.com" || mail[0].Code != "" {
		t.Fatalf("mail = %+v", mail)
	}
	token := linkToken(t, f)
	if len(token) != 43 {
		t.Fatalf("token %q: want 256 bits of base64url", token)
	}
	got, err := f.pw.RedeemLoginLink(ctx, token, "")
	if err != nil || got.ID != u.ID || !got.EmailVerified {
		t.Fatalf("RedeemLoginLink = %+v, %v; want %s with the email verified", got, err, u.ID)
	}
	_, err = f.pw.RedeemLoginLink(ctx, token, "")
	wantFault(t, err, fault.Unauthenticated, identity.ReasonCodeInvalid)
	_, err = f.pw.RedeemLoginLink(ctx, "nonsense", "")
	wantFault(t, err, fault.Unauthenticated, identity.ReasonCodeInvalid)
}

func TestLoginLinkExpires(t *testing.T) {
	ctx := context.Background()
	f := newPasswordless(t, nil)
	f.register(t, ports.Registration{Login: "late", Email: "late@example.com", Password: "correct horse battery"})
	if err := f.pw.SendLoginLink(ctx, ports.CodeRequest{Recipient: "late@example.com", CaptchaToken: "ok"}); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(10 * time.Minute)
	_, err := f.pw.RedeemLoginLink(ctx, linkToken(t, f), "")
	wantFault(t, err, fault.Gone, identity.ReasonCodeExpired)
}

func TestLoginLinkToAnUnknownAddressAnswersAlike(t *testing.T) {
	ctx := context.Background()
	f := newPasswordless(t, nil)
	f.register(t, ports.Registration{Login: "known", Email: "known@example.com", Password: "correct horse battery"})
	for _, addr := range []string{"known@example.com", "nobody@example.com"} {
		if err := f.pw.SendLoginLink(ctx, ports.CodeRequest{Recipient: addr, CaptchaToken: "ok"}); err != nil {
			t.Fatalf("SendLoginLink(%s) = %v; want nil for every address", addr, err)
		}
	}
	if mail := f.notes.all(); len(mail) != 2 || mail[1].Recipient != "known@example.com" {
		t.Fatalf("mail = %+v; want the registration's confirmation and one link to the known address", mail)
	}
	err := f.pw.SendLoginLink(ctx, ports.CodeRequest{Recipient: "nobody@example.com", CaptchaToken: "ok"})
	wantFault(t, err, fault.RateLimited, identity.ReasonCodeCooldown)
	err = f.pw.SendLoginLink(ctx, ports.CodeRequest{Recipient: "not an address", CaptchaToken: "ok"})
	if fe, ok := fault.As(err); !ok || fe.Code != fault.Invalid || len(fe.Fields) != 1 || fe.Fields[0].Field != "recipient" {
		t.Fatalf("SendLoginLink of a malformed address = %v; want Invalid on recipient", err)
	}
}
