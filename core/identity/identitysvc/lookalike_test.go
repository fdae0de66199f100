package identitysvc_test

import (
	"context"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/ports"
)

// TestLookAlikeHandlesAreOneAccount replays issue 7, item 11: spellings of
// one handle that look the same make no second account, and sign in to the
// first.
func TestLookAlikeHandlesAreOneAccount(t *testing.T) {
	tests := []struct {
		name          string
		first, second ports.Registration
		reason        string
	}{
		{"composed and decomposed email",
			ports.Registration{Login: "cafe1", Email: "caf\u00e9@example.com", Password: pw},
			ports.Registration{Login: "cafe2", Email: "cafe\u0301@example.com", Password: pw}, "identity.email_taken"},
		{"full-width email",
			ports.Registration{Login: "ada1", Email: "ada@example.com", Password: pw},
			ports.Registration{Login: "ada2", Email: "\uff41\uff44\uff41@example.com", Password: pw}, "identity.email_taken"},
		{"full-width login",
			ports.Registration{Login: "ada", Password: pw},
			ports.Registration{Login: "\uff41\uff44\uff41", Password: pw}, "identity.login_taken"},
		{"decomposed email as login",
			ports.Registration{Login: "caf\u00e9@example.com", Password: pw},
			ports.Registration{Login: "CAFE\u0301@example.com", Password: pw}, "identity.login_taken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			ctx := context.Background()
			u := f.register(t, tt.first)
			_, err := f.svc.Register(ctx, tt.second)
			wantFault(t, err, fault.Conflict, tt.reason)
			handle := tt.second.Email
			if handle == "" {
				handle = tt.second.Login
			}
			got, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: handle, Password: pw})
			if err != nil || got.ID != u.ID {
				t.Fatalf("Authenticate(%q) = %s, %v; want the first account %s", handle, got.ID, err, u.ID)
			}
		})
	}
}

// TestHiddenCharactersNotStored replays the right-to-left override seen
// stored in an email and accepted in an address name.
func TestHiddenCharactersNotStored(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	_, err := f.svc.Register(ctx, ports.Registration{Login: "eve", Email: "eve\u202e@example.com", Password: pw})
	wantField(t, err, "email", "format")
	_, err = f.svc.Register(ctx, ports.Registration{Login: "eve\u200b", Password: pw})
	wantField(t, err, "login", "format")
	u := f.register(t, ports.Registration{Login: "eve", Password: pw})
	_, err = f.svc.AddAddress(ctx, u.ID, "cold\u202ewallet", "bc1qxyz")
	wantField(t, err, "name", "format")
}

// wantField checks that err is fault.Invalid with exactly one field error,
// on field with rule.
func wantField(tb testing.TB, err error, field, rule string) {
	tb.Helper()
	fe, ok := fault.As(err)
	if !ok || fe.Code != fault.Invalid || len(fe.Fields) != 1 || fe.Fields[0].Field != field || fe.Fields[0].Rule != rule {
		tb.Fatalf("error = %v; want fault.Invalid on %s/%s", err, field, rule)
	}
}
