package identitysvc_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/ports"
)

func ptr[T any](v T) *T { return &v }

func TestUpdateProfile(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	u := f.register(t, ports.Registration{Login: "xena", Password: pw, FirstName: "Xena"})
	f.clock.Advance(1)
	got, err := f.svc.UpdateProfile(ctx, u.ID, ports.ProfileUpdate{
		LastName: ptr(" Иванова "), Birthday: ptr("2000-02-29"), BackgroundColor: ptr("#A0b1C2"),
		Description: ptr("hello"), Locale: ptr(identity.Locale("RU")), Avatar: ptr("https://cdn.example.com/a.png"),
	})
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := f.users.ByID(ctx, u.ID)
	for _, v := range []identity.User{got, stored} {
		if v.FirstName != "Xena" || v.LastName != "Иванова" || v.Birthday != "2000-02-29" || v.BackgroundColor != "#A0b1C2" ||
			v.Description != "hello" || v.Locale != identity.LocaleRU || v.Avatar != "https://cdn.example.com/a.png" || !v.UpdatedAt.After(u.UpdatedAt) {
			t.Fatalf("profile = %+v", v)
		}
	}
	if _, err := f.svc.UpdateProfile(ctx, u.ID, ports.ProfileUpdate{Birthday: ptr(""), BackgroundColor: ptr("")}); err != nil {
		t.Fatalf("clearing fields: %v", err)
	}

	tests := []struct {
		name   string
		u      ports.ProfileUpdate
		fields []string
	}{
		{"future birthday", ports.ProfileUpdate{Birthday: ptr("2025-03-02")}, []string{"birthday/past"}},
		{"no such day", ports.ProfileUpdate{Birthday: ptr("2023-02-29")}, []string{"birthday/format"}},
		{"bad date format", ports.ProfileUpdate{Birthday: ptr("01.02.2000")}, []string{"birthday/format"}},
		{"short colour", ports.ProfileUpdate{BackgroundColor: ptr("#fff")}, []string{"background_color/format"}},
		{"long name", ports.ProfileUpdate{Patronymic: ptr(strings.Repeat("я", 257))}, []string{"patronymic/max_length"}},
		{"long description", ports.ProfileUpdate{Description: ptr(strings.Repeat("d", 1001))}, []string{"description/max_length"}},
		{"bad locale", ports.ProfileUpdate{Locale: ptr(identity.Locale("de"))}, []string{"locale/oneof"}},
		{"bad avatar", ports.ProfileUpdate{Avatar: ptr("javascript:alert(1)")}, []string{"avatar/format"}},
		{"several", ports.ProfileUpdate{FirstName: ptr("a\x00b"), BackgroundColor: ptr("red")},
			[]string{"first_name/format", "background_color/format"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.UpdateProfile(ctx, u.ID, tt.u)
			fe, ok := fault.As(err)
			if !ok || fe.Code != fault.Invalid {
				t.Fatalf("error = %v, want fault.Invalid", err)
			}
			var got []string
			for _, fld := range fe.Fields {
				got = append(got, fld.Field+"/"+fld.Rule)
			}
			if !slices.Equal(got, tt.fields) {
				t.Fatalf("fields = %v, want %v", got, tt.fields)
			}
		})
	}
	if after, _ := f.users.ByID(ctx, u.ID); after.FirstName != "Xena" || after.LastName != "Иванова" {
		t.Fatalf("refused updates changed the profile: %+v", after)
	}
	_, err = f.svc.UpdateProfile(ctx, "nobody", ports.ProfileUpdate{})
	wantFault(t, err, fault.NotFound, "identity.user_not_found")
}

func TestLookups(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	var all []identity.User
	for i := range 25 {
		all = append(all, f.register(t, ports.Registration{Login: fmt.Sprintf("user%02d", i), Password: pw}))
	}
	pages := []struct{ offset, limit, want, first int }{
		{0, 0, 20, 0}, {0, 5, 5, 0}, {20, 0, 5, 20}, {0, 100, 25, 0}, {30, 10, 0, 0},
	}
	for _, p := range pages {
		got, err := f.svc.Users(ctx, p.offset, p.limit)
		if err != nil || len(got) != p.want || (p.want > 0 && got[0].ID != all[p.first].ID) {
			t.Errorf("Users(%d, %d) = %d users, %v; want %d from #%d", p.offset, p.limit, len(got), err, p.want, p.first)
		}
	}
	for _, p := range []struct{ offset, limit int }{{-3, 2}, {0, -1}, {0, 1000}} {
		_, err := f.svc.Users(ctx, p.offset, p.limit)
		if fault.CodeOf(err) != fault.Invalid {
			t.Errorf("Users(%d, %d): %v, want fault.Invalid", p.offset, p.limit, err)
		}
	}
	if got, err := f.svc.UserByNumber(ctx, all[3].Number); err != nil || got.ID != all[3].ID {
		t.Errorf("UserByNumber = %s, %v", got.ID, err)
	}
	if got, err := f.svc.UserByLogin(ctx, " USER04 "); err != nil || got.ID != all[4].ID {
		t.Errorf("UserByLogin = %s, %v", got.ID, err)
	}
	_, err := f.svc.UserByNumber(ctx, 999)
	wantFault(t, err, fault.NotFound, "identity.user_not_found")
	_, err = f.svc.UserByLogin(ctx, "nobody")
	wantFault(t, err, fault.NotFound, "identity.user_not_found")

	for _, tt := range []struct {
		login string
		free  bool
		rule  string
	}{{"User01", false, ""}, {"newbie", true, ""}, {"ab", false, "min_length"}, {"a b c", false, "charset"}} {
		free, err := f.svc.LoginAvailable(ctx, tt.login)
		if tt.rule != "" {
			if fe, ok := fault.As(err); !ok || len(fe.Fields) != 1 || fe.Fields[0].Rule != tt.rule {
				t.Errorf("LoginAvailable(%q) = %v, want rule %s", tt.login, err, tt.rule)
			}
			continue
		}
		if err != nil || free != tt.free {
			t.Errorf("LoginAvailable(%q) = %v, %v; want %v", tt.login, free, err, tt.free)
		}
	}
}

func TestAddAddress(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	u := f.register(t, ports.Registration{Login: "yuri", Password: pw})
	a, err := f.svc.AddAddress(ctx, u.ID, " wallet ", " 0xAbC ")
	if err != nil || a.Name != "wallet" || a.Address != "0xAbC" || len(a.ID) != 32 {
		t.Fatalf("AddAddress = %+v, %v", a, err)
	}
	stored, _ := f.users.ByID(ctx, u.ID)
	if len(stored.Addresses) != 1 || stored.Addresses[0] != a {
		t.Fatalf("stored addresses = %+v", stored.Addresses)
	}
	_, err = f.svc.AddAddress(ctx, u.ID, "again", "0xAbC")
	wantFault(t, err, fault.Conflict, "identity.address_exists")
	for _, tt := range []struct{ name, addr, field string }{
		{"", "0x1", "name"}, {"n", "", "address"}, {"n", strings.Repeat("a", 257), "address"}, {"n", "0x 1", "address"},
	} {
		_, err := f.svc.AddAddress(ctx, u.ID, tt.name, tt.addr)
		if fe, ok := fault.As(err); !ok || fe.Code != fault.Invalid || fe.Fields[0].Field != tt.field {
			t.Errorf("AddAddress(%q, %q) = %v, want Invalid on %s", tt.name, tt.addr, err, tt.field)
		}
	}
	for i := 1; i < identity.MaxAddresses; i++ {
		if _, err := f.svc.AddAddress(ctx, u.ID, "w", fmt.Sprintf("addr%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	_, err = f.svc.AddAddress(ctx, u.ID, "w", "one-too-many")
	wantFault(t, err, fault.Conflict, "identity.address_limit")
	_, err = f.svc.AddAddress(ctx, "nobody", "w", "x")
	wantFault(t, err, fault.NotFound, "identity.user_not_found")
}

func TestCatalogIsACopy(t *testing.T) {
	f := newFixture(t, nil)
	c := f.svc.Catalog()
	if len(c.Roles) != 3 || c.Roles[1].Name != "admin" || c.Roles[1].ID != 2 || len(c.Groups) != 2 {
		t.Fatalf("catalog = %+v", c)
	}
	c.Roles[0].Permissions[0] = "everything"
	if f.svc.Catalog().Roles[0].Permissions[0] == "everything" {
		t.Fatal("a caller changed the service's catalog")
	}
}

func TestDeleteAccount(t *testing.T) {
	var calls []string
	failing := errors.New("links store down")
	f := newFixtureWith(t, nil, func(d *identitysvc.Deps) {
		d.Hooks = []ports.UserDeletionHook{hook{name: "sessions", log: &calls}, hook{name: "links", log: &calls}}
	})
	ctx := context.Background()
	u, token := startReset(t, f)
	if err := f.svc.DeleteAccount(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if want := []string{"sessions:" + u.ID, "links:" + u.ID}; !slices.Equal(calls, want) {
		t.Fatalf("hooks called %q, want %q", calls, want)
	}
	if _, err := f.users.ByID(ctx, u.ID); fault.CodeOf(err) != fault.NotFound {
		t.Fatalf("user after DeleteAccount: %v", err)
	}
	if _, err := f.challenges.Challenge(ctx, identity.HashSecret(token)); fault.CodeOf(err) != fault.NotFound {
		t.Fatalf("reset challenge after DeleteAccount: %v", err)
	}
	wantFault(t, f.svc.DeleteAccount(ctx, u.ID), fault.NotFound, "identity.user_not_found")

	g := newFixtureWith(t, nil, func(d *identitysvc.Deps) {
		d.Hooks = []ports.UserDeletionHook{hook{name: "links", log: &calls, err: failing}}
	})
	v := g.register(t, ports.Registration{Login: "zed", Password: pw})
	if err := g.svc.DeleteAccount(ctx, v.ID); !errors.Is(err, failing) {
		t.Fatalf("DeleteAccount with a failing hook = %v, want it", err)
	}
	if _, err := g.users.ByID(ctx, v.ID); err != nil {
		t.Fatalf("a failed hook removed the user: %v", err)
	}
}
