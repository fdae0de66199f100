package identity_test

import (
	"slices"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
)

func TestDefaultCatalog(t *testing.T) {
	c := identity.DefaultCatalog()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int{}
	for _, r := range c.Roles {
		ids[r.Name] = r.ID
	}
	for _, g := range c.Groups {
		ids["group:"+g.Name] = g.ID
	}
	want := map[string]int{"user": 1, "admin": 2, "support": 3, "group:staff": 1, "group:testers": 2}
	if len(ids) != len(want) {
		t.Fatalf("catalog ids = %v, want %v", ids, want)
	}
	for k, v := range want {
		if ids[k] != v {
			t.Fatalf("catalog ids = %v, want %v", ids, want)
		}
	}
}

func TestCatalogPermissions(t *testing.T) {
	c := identity.DefaultCatalog()
	c.Groups[1].Permissions = []string{"beta.features", "profile.read"}
	tests := []struct {
		roles, groups, want []string
	}{
		{nil, nil, []string{}},
		{[]string{"user"}, nil, []string{"profile.read", "profile.write"}},
		{[]string{"admin", "user"}, nil, []string{"profile.read", "profile.write", "users.admin", "users.read", "users.write"}},
		{[]string{"support", "ghost"}, []string{"testers", "nope"}, []string{"beta.features", "profile.read", "users.read"}},
	}
	for _, tt := range tests {
		if got := c.Permissions(tt.roles, tt.groups); !slices.Equal(got, tt.want) {
			t.Errorf("Permissions(%q, %q) = %q, want %q", tt.roles, tt.groups, got, tt.want)
		}
	}
}

func TestCatalogValidate(t *testing.T) {
	tests := []struct {
		name string
		c    identity.Catalog
	}{
		{"zero id", identity.Catalog{Roles: []identity.Role{{ID: 0, Name: "a"}}}},
		{"empty name", identity.Catalog{Roles: []identity.Role{{ID: 1}}}},
		{"prefixed name", identity.Catalog{Groups: []identity.Group{{ID: 1, Name: "group:x"}}}},
		{"repeated id", identity.Catalog{Groups: []identity.Group{{ID: 1, Name: "a"}, {ID: 1, Name: "b"}}}},
		{"repeated name", identity.Catalog{Roles: []identity.Role{{ID: 1, Name: "a"}, {ID: 2, Name: "a"}}}},
	}
	for _, tt := range tests {
		if err := tt.c.Validate(); err == nil {
			t.Errorf("%s: Validate succeeded", tt.name)
		}
	}
	ok := identity.Catalog{Roles: []identity.Role{{ID: 1, Name: "a"}}, Groups: []identity.Group{{ID: 1, Name: "a"}}}
	if err := ok.Validate(); err != nil {
		t.Errorf("a role and a group may share id and name: %v", err)
	}
}

func TestCatalogGrantRevoke(t *testing.T) {
	c := identity.DefaultCatalog()
	u := identity.User{Roles: []string{"user", "retired"}}
	tests := []struct {
		op, grant   string
		roles, grps []string
		reason      string // the refusal, "" for none
	}{
		{"grant", "admin", []string{"user", "retired", "admin"}, nil, ""},
		{"grant", "admin", []string{"user", "retired", "admin"}, nil, ""},
		{"grant", "group: testers", []string{"user", "retired", "admin"}, []string{"testers"}, ""},
		{"grant", "retired", nil, nil, "identity.unknown_role"},
		{"revoke", "retired", []string{"user", "admin"}, []string{"testers"}, ""}, // held, no longer known
		{"revoke", "support", nil, nil, identity.ReasonRoleNotHeld},
		{"revoke", "group:testers", []string{"user", "admin"}, []string{}, ""},
		{"revoke", "group:ghosts", nil, nil, "identity.unknown_role"},
	}
	for _, tt := range tests {
		before := slices.Clone(u.Roles)
		op := c.Grant
		if tt.op == "revoke" {
			op = c.Revoke
		}
		got, err := op(u, tt.grant)
		if tt.reason != "" {
			if fault.ReasonOf(err) != tt.reason {
				t.Fatalf("%s %q = %v, want %s", tt.op, tt.grant, err, tt.reason)
			}
			continue
		}
		if err != nil || !slices.Equal(got.Roles, tt.roles) || len(got.Groups) != len(tt.grps) || !slices.Equal(u.Roles, before) {
			t.Fatalf("%s %q = %q %q, %v; want %q %q, the input untouched", tt.op, tt.grant, got.Roles, got.Groups, err, tt.roles, tt.grps)
		}
		u = got
	}
}
