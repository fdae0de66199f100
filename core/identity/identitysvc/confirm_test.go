package identitysvc_test

import (
	"context"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/ports"
)

func TestEmailConfirmation(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	u := f.register(t, ports.Registration{Login: "lee", Email: "lee@example.com", Password: pw})
	onSignUp := f.notes.last(t) // Register sent one already
	if err := f.svc.SendEmailConfirmation(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	n := f.notes.last(t)
	_, _, err := f.svc.Confirm(ctx, tokenOfLink(onSignUp))
	wantFault(t, err, fault.Unauthenticated, "identity.challenge_invalid") // replaced by the new link
	if n.Purpose != identity.PurposeEmailConfirm || n.Recipient != "lee@example.com" || n.Code != "" || n.Link != publicURL+"/v1/user/confirm/"+tokenOfLink(n) || !tokenRE.MatchString(tokenOfLink(n)) {
		t.Fatalf("notification = %+v", n)
	}
	_, err = f.svc.ResetPassword(ctx, tokenOfLink(n), newPW)
	wantFault(t, err, fault.Unauthenticated, "identity.challenge_invalid") // bound to its purpose

	purpose, next, err := f.svc.Confirm(ctx, tokenOfLink(n))
	if err != nil || purpose != identity.PurposeEmailConfirm || next != "" {
		t.Fatalf("Confirm = %q, %q, %v; want email_confirm, no token", purpose, next, err)
	}
	if got, _ := f.users.ByID(ctx, u.ID); !got.EmailVerified {
		t.Fatal("the email is not verified after Confirm")
	}
	_, _, err = f.svc.Confirm(ctx, tokenOfLink(n))
	wantFault(t, err, fault.Unauthenticated, "identity.challenge_invalid")

	if err := f.svc.SendEmailConfirmation(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if len(f.notes.all()) != 2 {
		t.Fatal("a verified email was sent another confirmation")
	}
}

func TestEmailConfirmationRefusals(t *testing.T) {
	f := newFixtureWith(t, nil, func(d *identitysvc.Deps) {
		d.Throttle = identitysvc.Throttle{ConfirmationsPerUser: 2}
	})
	ctx := context.Background()
	noEmail := f.register(t, ports.Registration{Login: "moe", Password: pw})
	wantFault(t, f.svc.SendEmailConfirmation(ctx, noEmail.ID), fault.Invalid, "identity.no_email")
	wantFault(t, f.svc.SendEmailConfirmation(ctx, "nobody"), fault.NotFound, "identity.user_not_found")

	u := f.register(t, ports.Registration{Login: "ned", Email: "ned@example.com", Password: pw})
	// Register spent the first of the two.
	if err := f.svc.SendEmailConfirmation(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	err := f.svc.SendEmailConfirmation(ctx, u.ID)
	wantFault(t, err, fault.RateLimited, "identity.throttled")

	// The address changed after the link was sent: it proves nothing now.
	token := tokenOfLink(f.notes.last(t))
	u.Email = "ned2@example.com"
	if err := f.users.Update(ctx, u); err != nil {
		t.Fatal(err)
	}
	_, _, err = f.svc.Confirm(ctx, token)
	wantFault(t, err, fault.Unauthenticated, "identity.challenge_invalid")
	if got, _ := f.users.ByID(ctx, u.ID); got.EmailVerified {
		t.Fatal("a stale confirmation verified the new email")
	}
}

func TestEmailConfirmationDeliveryFault(t *testing.T) {
	f := newFixture(t, nil)
	u := f.register(t, ports.Registration{Login: "ola", Email: "ola@example.com", Password: pw})
	f.notes.err = fault.New(fault.Invalid, "notify.bad_recipient", "no such mailbox")
	wantFault(t, f.svc.SendEmailConfirmation(context.Background(), u.ID), fault.Invalid, "notify.bad_recipient")
}
