package identitysvc_test

import (
	"context"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// bindCode returns the code of the last bind mail to addr.
func bindCode(tb testing.TB, f pwFixture, addr string) string {
	tb.Helper()
	mail := f.notes.of(identity.PurposeEmailBind)
	for i := len(mail) - 1; i >= 0; i-- {
		if mail[i].Recipient == addr {
			return mail[i].Code
		}
	}
	tb.Fatalf("no bind code was mailed to %s", addr)
	return ""
}

func TestPhoneAccountBindsAnEmailThenSignsInByPassword(t *testing.T) {
	ctx := context.Background()
	f := newPasswordless(t, nil)
	u := f.phoneUser(t, phone)

	// Until it has a password, a password sign-in fails like a wrong one.
	_, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: phone, Password: "anything at all"})
	wantFault(t, err, fault.Unauthenticated, "identity.bad_credentials")

	if err := f.pw.SendBindCode(ctx, u.ID, ports.CodeRequest{Recipient: "Phoney@Example.com", CaptchaToken: "ok"}); err != nil {
		t.Fatal(err)
	}
	code := bindCode(t, f, "phoney@example.com")
	if len(code) != 6 {
		t.Fatalf("bind code %q: want six digits", code)
	}
	bound, err := f.pw.BindEmail(ctx, u.ID, "phoney@example.com", code, "")
	if err != nil || bound.Email != "phoney@example.com" || !bound.EmailVerified || bound.Phone != phone {
		t.Fatalf("BindEmail = %+v, %v", bound, err)
	}
	_, err = f.pw.BindEmail(ctx, u.ID, "phoney@example.com", code, "")
	wantFault(t, err, fault.Unauthenticated, identity.ReasonCodeInvalid)

	if _, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: "phoney@example.com", Password: "anything at all"}); fault.ReasonOf(err) != "identity.bad_credentials" {
		t.Fatalf("password sign-in before a password was set: %v", err)
	}
	if err := f.svc.StartPasswordReset(ctx, "phoney@example.com", ""); err != nil {
		t.Fatal(err)
	}
	_, next, err := f.svc.Confirm(ctx, tokenOfLink(f.notes.of(identity.PurposePasswordReset)[0]))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ResetPassword(ctx, next, "a brand new passphrase"); err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: "phoney@example.com", Password: "a brand new passphrase"})
	if err != nil || got.ID != u.ID {
		t.Fatalf("password sign-in by the bound email = %+v, %v", got, err)
	}
}

func TestBindCodeIsNotSentToATakenAddress(t *testing.T) {
	ctx := context.Background()
	f := newPasswordless(t, nil)
	f.register(t, ports.Registration{Login: "owner", Email: "taken@example.com", Password: "correct horse battery"})
	u := f.phoneUser(t, phone)
	before := len(f.notes.all())
	for _, addr := range []string{"taken@example.com", "free@example.com"} {
		if err := f.pw.SendBindCode(ctx, u.ID, ports.CodeRequest{Recipient: addr, CaptchaToken: "ok"}); err != nil {
			t.Fatalf("SendBindCode(%s) = %v; want nil either way", addr, err)
		}
	}
	if mail := f.notes.all()[before:]; len(mail) != 1 || mail[0].Recipient != "free@example.com" {
		t.Fatalf("mail = %+v; want one code, to the free address", mail)
	}
	_, err := f.pw.BindEmail(ctx, u.ID, "taken@example.com", "123456", "")
	wantFault(t, err, fault.Conflict, "identity.email_taken")
}

func TestBindCodeWorksOnlyForTheAccountThatAsked(t *testing.T) {
	ctx := context.Background()
	f := newPasswordless(t, nil)
	a := f.phoneUser(t, phone)
	b := f.phoneUser(t, "+79991234568")
	if err := f.pw.SendBindCode(ctx, a.ID, ports.CodeRequest{Recipient: "shared@example.com", CaptchaToken: "ok"}); err != nil {
		t.Fatal(err)
	}
	code := bindCode(t, f, "shared@example.com")
	_, err := f.pw.BindEmail(ctx, b.ID, "shared@example.com", code, "")
	wantFault(t, err, fault.Unauthenticated, identity.ReasonCodeInvalid)
	_, err = f.pw.BindEmail(ctx, a.ID, "other@example.com", code, "")
	wantFault(t, err, fault.Unauthenticated, identity.ReasonCodeInvalid)
	if _, err := f.pw.BindEmail(ctx, a.ID, "shared@example.com", code, ""); err != nil {
		t.Fatalf("BindEmail by the account that asked: %v", err)
	}
}
