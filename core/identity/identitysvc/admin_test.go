package identitysvc_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

func TestGrantAndRevoke(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	u := f.register(t, ports.Registration{Login: "uma", Password: pw})
	if !slices.Equal(u.Roles, []string{"user"}) {
		t.Fatalf("new user roles = %q, want [user]", u.Roles)
	}
	if got := f.svc.Permissions(ctx, u); !slices.Equal(got, []string{"profile.read", "profile.write"}) {
		t.Fatalf("new user permissions = %q", got)
	}
	tests := []struct {
		op, name    string
		roles, grps []string
		perms       []string
	}{
		{"grant", "admin", []string{"user", "admin"}, nil,
			[]string{"profile.read", "profile.write", "users.admin", "users.read", "users.write"}},
		{"grant", " admin ", []string{"user", "admin"}, nil, nil},
		{"grant", "group:staff", []string{"user", "admin"}, []string{"staff"}, nil},
		{"revoke", "admin", []string{"user"}, []string{"staff"}, []string{"profile.read", "profile.write"}},
		{"grant", "support", []string{"user", "support"}, []string{"staff"},
			[]string{"profile.read", "profile.write", "users.read"}},
		{"revoke", "group:staff", []string{"user", "support"}, []string{}, nil},
	}
	for _, tt := range tests {
		op := f.svc.Grant
		if tt.op == "revoke" {
			op = f.svc.Revoke
		}
		got, err := op(ctx, u.ID, tt.name)
		if err != nil {
			t.Fatalf("%s %q: %v", tt.op, tt.name, err)
		}
		stored, _ := f.users.ByID(ctx, u.ID)
		if !slices.Equal(got.Roles, tt.roles) || !slices.Equal(stored.Roles, tt.roles) || len(stored.Groups) != len(tt.grps) {
			t.Fatalf("%s %q: roles %q groups %q (stored %q %q); want %q %q",
				tt.op, tt.name, got.Roles, got.Groups, stored.Roles, stored.Groups, tt.roles, tt.grps)
		}
		if tt.perms != nil {
			if p := f.svc.Permissions(ctx, stored); !slices.Equal(p, tt.perms) {
				t.Fatalf("%s %q: permissions %q, want %q", tt.op, tt.name, p, tt.perms)
			}
		}
	}
	for _, bad := range []string{"root", "group:admins", "", "group:"} {
		_, err := f.svc.Grant(ctx, u.ID, bad)
		wantFault(t, err, fault.Invalid, "identity.unknown_role")
		_, err = f.svc.Revoke(ctx, u.ID, bad)
		wantFault(t, err, fault.Invalid, "identity.unknown_role")
	}
	_, err := f.svc.Revoke(ctx, u.ID, "admin")
	wantFault(t, err, fault.Conflict, identity.ReasonRoleNotHeld)
	_, err = f.svc.Grant(ctx, "nobody", "admin")
	wantFault(t, err, fault.NotFound, "identity.user_not_found")
}

func TestBlockAndUnblock(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	u := f.register(t, ports.Registration{Login: "vic", Password: pw})
	got, err := f.svc.Block(ctx, u.ID)
	if err != nil || got.Status != identity.StatusBlocked {
		t.Fatalf("Block = %v, %v", got.Status, err)
	}
	if calls := f.revoker.all(); len(calls) != 1 || calls[0] != (call{u.ID, "blocked"}) {
		t.Fatalf("EndUserSessions calls = %+v, want one for %s with reason blocked", calls, u.ID)
	}
	_, err = f.svc.Authenticate(ctx, ports.Credentials{Handle: "vic", Password: pw})
	wantFault(t, err, fault.Forbidden, "identity.blocked")
	_, err = f.svc.Authenticate(ctx, ports.Credentials{Handle: "vic", Password: "wrong one"})
	wantFault(t, err, fault.Unauthenticated, "identity.bad_credentials")

	if got, err = f.svc.Unblock(ctx, u.ID); err != nil || got.Status != identity.StatusActive {
		t.Fatalf("Unblock = %v, %v", got.Status, err)
	}
	if _, err := f.svc.Authenticate(ctx, ports.Credentials{Handle: "vic", Password: pw}); err != nil {
		t.Fatalf("sign-in after Unblock: %v", err)
	}
	_, err = f.svc.Block(ctx, "nobody")
	wantFault(t, err, fault.NotFound, "identity.user_not_found")

	f.revoker.err = fault.New(fault.Unavailable, "sessions.unavailable", "down")
	_, err = f.svc.Block(ctx, u.ID)
	wantFault(t, err, fault.Unavailable, "sessions.unavailable")
	if stored, _ := f.users.ByID(ctx, u.ID); stored.Status != identity.StatusBlocked {
		t.Fatal("a block whose session revocation failed did not keep the status (sign-in must stay closed)")
	}
}

func TestFind(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	f.register(t, ports.Registration{Login: "first", Password: pw})
	u := f.register(t, ports.Registration{Login: "wes", Email: "wes@example.com", Password: pw})
	digits := f.register(t, ports.Registration{Login: "12345", Password: pw})
	tests := []struct{ ref, want string }{
		{u.ID, u.ID},
		{fmt.Sprint(u.Number), u.ID},
		{" WES ", u.ID},
		{"Wes@Example.com", u.ID},
		{"12345", digits.ID}, // no user 12345: the login
		{"3", digits.ID},
	}
	for _, tt := range tests {
		got, err := f.svc.Find(ctx, tt.ref)
		if err != nil || got.ID != tt.want {
			t.Errorf("Find(%q) = %s, %v; want %s", tt.ref, got.ID, err, tt.want)
		}
	}
	for _, ref := range []string{"", "nobody", "99", "no@example.com", "-1"} {
		_, err := f.svc.Find(ctx, ref)
		wantFault(t, err, fault.NotFound, "identity.user_not_found")
	}
}
