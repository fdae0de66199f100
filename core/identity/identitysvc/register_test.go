package identitysvc_test

import (
	"context"
	"strings"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/ports"
)

func TestRegisterSendsEmailConfirmation(t *testing.T) {
	tests := []struct {
		name string
		reg  ports.Registration
		to   string // "" when nothing may be sent
	}{
		{"email", ports.Registration{Login: "lee", Email: "Lee@Example.com", Password: pw}, "lee@example.com"},
		{"email as login", ports.Registration{Login: "max@example.com", Password: pw}, "max@example.com"},
		{"no email", ports.Registration{Login: "moe", Password: pw}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			ctx := context.Background()
			u := f.register(t, tt.reg)
			sent := f.notes.all()
			if tt.to == "" {
				if len(sent) != 0 {
					t.Fatalf("sent %+v to an account without email", sent)
				}
				return
			}
			if len(sent) != 1 {
				t.Fatalf("sent %d notifications, want exactly one: %+v", len(sent), sent)
			}
			n := sent[0]
			if n.Purpose != identity.PurposeEmailConfirm || n.Channel != "email" || n.Recipient != tt.to ||
				n.Code != "" || !tokenRE.MatchString(tokenOfLink(n)) || n.Link != publicURL+"/v1/user/confirm/"+tokenOfLink(n) {
				t.Fatalf("notification = %+v", n)
			}
			purpose, _, err := f.svc.Confirm(ctx, tokenOfLink(n))
			if err != nil || purpose != identity.PurposeEmailConfirm {
				t.Fatalf("Confirm = %q, %v; want email_confirm", purpose, err)
			}
			if got, _ := f.users.ByID(ctx, u.ID); !got.EmailVerified {
				t.Fatal("the email is not verified after Confirm")
			}
		})
	}
}

func TestRegisterWithoutNotifierSendsNothing(t *testing.T) {
	f := newFixtureWith(t, nil, func(d *identitysvc.Deps) { d.Notifier = nil })
	u := f.register(t, ports.Registration{Login: "lee", Email: "lee@example.com", Password: pw})
	if got, err := f.users.ByID(context.Background(), u.ID); err != nil || got.EmailVerified {
		t.Fatalf("stored user = %+v, %v; want it, unverified", got, err)
	}
	if sent := f.notes.all(); len(sent) != 0 {
		t.Fatalf("sent %+v with no notifier configured", sent)
	}
	if strings.Contains(f.log.String(), "email confirmation") {
		t.Fatalf("disabled delivery was logged as a failure:\n%s", f.log)
	}
}

func TestRegisterSurvivesFailedConfirmation(t *testing.T) {
	f := newFixture(t, nil)
	f.notes.err = fault.New(fault.Unavailable, "notify.unavailable", "mail server down")
	ctx := context.Background()
	u := f.register(t, ports.Registration{Login: "lee", Email: "lee@example.com", Password: pw})
	if _, err := f.users.ByID(ctx, u.ID); err != nil {
		t.Fatalf("the account was not kept: %v", err)
	}
	logs := f.log.String()
	if !strings.Contains(logs, "send email confirmation on registration") || !strings.Contains(logs, "user_id="+u.ID) {
		t.Fatalf("the failed send was not logged:\n%s", logs)
	}
	if strings.Contains(logs, "/v1/user/confirm/") {
		t.Fatalf("the log holds a confirmation link:\n%s", logs)
	}

	// The link can be asked for again once mail works.
	f.notes.err = nil
	if err := f.svc.SendEmailConfirmation(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Confirm(ctx, tokenOfLink(f.notes.last(t))); err != nil {
		t.Fatal(err)
	}
}
