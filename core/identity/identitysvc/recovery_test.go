package identitysvc_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/ports"
)

const newPW = "a brand new secret"

var tokenRE = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

// startReset registers kim and asks for a reset, returning the user and the
// emailed token.
func startReset(tb testing.TB, f fixture) (identity.User, string) {
	tb.Helper()
	u := f.register(tb, ports.Registration{Login: "kim", Email: "Kim@Example.com", Password: pw, Locale: "ru", FirstName: "Ким"})
	if err := f.svc.StartPasswordReset(context.Background(), " KIM@example.com ", "192.0.2.1"); err != nil {
		tb.Fatalf("StartPasswordReset: %v", err)
	}
	return u, tokenOfLink(f.notes.last(tb))
}

func TestPasswordResetFlow(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	u, token := startReset(t, f)

	n := f.notes.last(t)
	want := ports.Notification{
		Channel: "email", Recipient: "kim@example.com", Name: "Ким", Locale: identity.LocaleRU,
		Purpose: identity.PurposePasswordReset, Link: publicURL + "/v1/user/confirm/" + token,
	}
	if n != want {
		t.Fatalf("notification = %+v\nwant %+v", n, want)
	}
	if !tokenRE.MatchString(token) {
		t.Fatalf("token %q is not 256-bit base64url", token)
	}
	c, err := f.challenges.Challenge(ctx, identity.HashSecret(token))
	if err != nil {
		t.Fatalf("stored challenge: %v", err)
	}
	if c.UserID != u.ID || c.Purpose != identity.PurposePasswordReset || !c.ExpiresAt.Equal(epoch.Add(10*time.Minute)) || c.MaxAttempts != 5 {
		t.Fatalf("challenge = %+v", c)
	}

	for range 2 { // Confirm checks without spending
		purpose, next, err := f.svc.Confirm(ctx, token)
		if err != nil || purpose != identity.PurposePasswordReset || next != token {
			t.Fatalf("Confirm = %q, %q, %v; want password_reset and the token", purpose, next, err)
		}
	}
	id, err := f.svc.ResetPassword(ctx, token, newPW)
	if err != nil || id != u.ID {
		t.Fatalf("ResetPassword = %q, %v; want %q", id, err, u.ID)
	}
	if got := f.revoker.all(); len(got) != 1 || got[0] != (call{u.ID, "password_reset"}) {
		t.Fatalf("EndUserSessions calls = %+v, want one for %s with reason password_reset", got, u.ID)
	}
	if _, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: "kim", Password: newPW}); err != nil {
		t.Fatalf("sign-in with the new password: %v", err)
	}
	_, err = f.svc.Authenticate(ctx, ports.Credentials{Handle: "kim", Password: pw})
	wantFault(t, err, fault.Unauthenticated, "identity.bad_credentials")

	_, err = f.svc.ResetPassword(ctx, token, "yet another password")
	wantFault(t, err, fault.Unauthenticated, "identity.challenge_invalid")
	_, _, err = f.svc.Confirm(ctx, token)
	wantFault(t, err, fault.Unauthenticated, "identity.challenge_invalid")
	if log := f.log.String(); strings.Contains(log, token) || strings.Contains(log, newPW) {
		t.Fatalf("the log holds a token or password: %s", log)
	}
}

// TestRestoreUnknownEmailIsIndistinguishable: the same answer, and no
// message or stored challenge, for an address without an account.
func TestRestoreUnknownEmailIsIndistinguishable(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	f.register(t, ports.Registration{Login: "kim", Email: "kim@example.com", Password: pw})
	known := f.svc.StartPasswordReset(ctx, "kim@example.com", "192.0.2.1")
	unknown := f.svc.StartPasswordReset(ctx, "nobody@example.com", "192.0.2.1")
	if known != nil || unknown != nil {
		t.Fatalf("StartPasswordReset: known %v, unknown %v; want nil for both", known, unknown)
	}
	if got := f.notes.of(identity.PurposePasswordReset); len(got) != 1 || got[0].Recipient != "kim@example.com" {
		t.Fatalf("reset notifications = %+v; want only kim's", got)
	}
	err := f.svc.StartPasswordReset(ctx, "not an email", "192.0.2.1")
	if fault.CodeOf(err) != fault.Invalid {
		t.Fatalf("malformed address: %v, want fault.Invalid", err)
	}
}

func TestRestoreDeliveryFailureIsHidden(t *testing.T) {
	f := newFixture(t, nil)
	f.register(t, ports.Registration{Login: "kim", Email: "kim@example.com", Password: pw})
	f.notes.err = fault.New(fault.Unavailable, "notify.unavailable", "down")
	if err := f.svc.StartPasswordReset(context.Background(), "kim@example.com", ""); err != nil {
		t.Fatalf("StartPasswordReset with a failing notifier = %v, want nil (no oracle)", err)
	}
	if log := f.log.String(); !strings.Contains(log, "send password reset") || !strings.Contains(log, "notify.unavailable") {
		t.Fatalf("log %q: want the delivery failure", log)
	}
}

func TestNewResetReplacesOlder(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	_, first := startReset(t, f)
	if err := f.svc.StartPasswordReset(ctx, "kim@example.com", ""); err != nil {
		t.Fatal(err)
	}
	second := tokenOfLink(f.notes.last(t))
	if second == first {
		t.Fatal("the second reset sent the same token")
	}
	_, _, err := f.svc.Confirm(ctx, first)
	wantFault(t, err, fault.Unauthenticated, "identity.challenge_invalid")
	if _, _, err := f.svc.Confirm(ctx, second); err != nil {
		t.Fatalf("Confirm of the newest token: %v", err)
	}
}

func TestResetRefusals(t *testing.T) {
	tests := []struct {
		name string
		run  func(f fixture, token string) error
	}{
		{"empty token", func(f fixture, _ string) error {
			_, err := f.svc.ResetPassword(context.Background(), "", newPW)
			return err
		}},
		{"wrong token", func(f fixture, token string) error {
			_, err := f.svc.ResetPassword(context.Background(), token[1:]+"A", newPW)
			return err
		}},
		{"expired", func(f fixture, token string) error {
			f.clock.Advance(10 * time.Minute)
			_, err := f.svc.ResetPassword(context.Background(), token, newPW)
			return err
		}},
		{"user deleted", func(f fixture, token string) error {
			u, err := f.users.ByLogin(context.Background(), "kim")
			if err != nil {
				return err
			}
			if err := f.users.Delete(context.Background(), u.ID); err != nil {
				return err
			}
			_, err = f.svc.ResetPassword(context.Background(), token, newPW)
			return err
		}},
		{"attempts exhausted", func(f fixture, token string) error {
			for range 5 {
				if _, _, err := f.svc.Confirm(context.Background(), token); err != nil {
					return err
				}
			}
			_, err := f.svc.ResetPassword(context.Background(), token, newPW)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			_, token := startReset(t, f)
			wantFault(t, tt.run(f, token), fault.Unauthenticated, "identity.challenge_invalid")
			if len(f.revoker.all()) != 0 {
				t.Fatal("a refused reset ended sessions")
			}
		})
	}
}

// TestResetRefusedPasswordKeepsToken: a password the policy refuses does
// not spend the token.
func TestResetRefusedPasswordKeepsToken(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	_, token := startReset(t, f)
	for _, bad := range []string{"short", "password123", "kim@example.com", "KIM", "x", "y", "z"} { // more than the budget
		_, err := f.svc.ResetPassword(ctx, token, bad)
		if fault.CodeOf(err) != fault.Invalid {
			t.Fatalf("ResetPassword(%q) = %v, want fault.Invalid", bad, err)
		}
	}
	if _, err := f.svc.ResetPassword(ctx, token, newPW); err != nil {
		t.Fatalf("ResetPassword after refused passwords: %v", err)
	}
}

func TestResetSessionFailureIsReturned(t *testing.T) {
	f := newFixture(t, nil)
	_, token := startReset(t, f)
	f.revoker.err = fault.New(fault.Unavailable, "sessions.unavailable", "down")
	_, err := f.svc.ResetPassword(context.Background(), token, newPW)
	wantFault(t, err, fault.Unavailable, "sessions.unavailable")
}

// TestResetClearsLoginThrottle: proving control of the email lifts the
// sign-in backoff.
func TestResetClearsLoginThrottle(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	_, token := startReset(t, f)
	for range 6 {
		_, _ = f.svc.Authenticate(ctx, ports.Credentials{Handle: "kim", Password: "guess"})
	}
	_, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: "kim", Password: pw})
	wantFault(t, err, fault.RateLimited, "identity.throttled")
	if _, err := f.svc.ResetPassword(ctx, token, newPW); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: "kim", Password: newPW}); err != nil {
		t.Fatalf("sign-in after reset: %v", err)
	}
}

func TestResetThrottles(t *testing.T) {
	f := newFixtureWith(t, nil, func(d *identitysvc.Deps) {
		d.Throttle = identitysvc.Throttle{ResetsPerEmail: 2, ResetsPerIP: 4}
	})
	ctx := context.Background()
	f.register(t, ports.Registration{Login: "kim", Email: "kim@example.com", Password: pw})
	for i := range 3 {
		if err := f.svc.StartPasswordReset(ctx, "kim@example.com", "192.0.2.1"); err != nil {
			t.Fatalf("reset %d: %v (the per-email limit is silent)", i, err)
		}
	}
	if n := len(f.notes.of(identity.PurposePasswordReset)); n != 2 {
		t.Fatalf("%d emails sent, want 2 (the per-email limit)", n)
	}
	if err := f.svc.StartPasswordReset(ctx, "nobody@example.com", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	err := f.svc.StartPasswordReset(ctx, "nobody@example.com", "192.0.2.1")
	wantFault(t, err, fault.RateLimited, "identity.throttled")
	if fe, _ := fault.As(err); fe.RetryAfter <= 0 || fe.RetryAfter > time.Hour {
		t.Fatalf("RetryAfter = %v, want within the hour", fe.RetryAfter)
	}
	if err := f.svc.StartPasswordReset(ctx, "nobody@example.com", "192.0.2.2"); err != nil {
		t.Fatalf("another address: %v", err)
	}
	f.clock.Advance(time.Hour)
	if err := f.svc.StartPasswordReset(ctx, "kim@example.com", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if n := len(f.notes.of(identity.PurposePasswordReset)); n != 3 {
		t.Fatalf("%d emails sent after the window, want 3", n)
	}
}
