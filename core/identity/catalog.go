package identity

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"gatehouse/core/fault"
)

// Role is a named set of permissions a user can be granted. ID is stable and
// shown by contracts that show integer ids.
type Role struct {
	ID          int
	Name        string
	Permissions []string
}

// Group is a named set of users sharing permissions.
type Group struct {
	ID          int
	Name        string
	Permissions []string
}

// Catalog is every role and group gatehouse knows.
type Catalog struct {
	Roles  []Role
	Groups []Group
}

// Names of the default catalog's roles and groups.
const (
	RoleUser     = "user"
	RoleAdmin    = "admin"
	RoleSupport  = "support"
	GroupStaff   = "staff"
	GroupTesters = "testers"
)

// GroupPrefix marks a grant of a group rather than a role: "group:staff".
const GroupPrefix = "group:"

// DefaultCatalog is gatehouse's built-in catalog. Every account gets
// RoleUser; admin holds everything user holds and manages users; support
// may read them. Groups carry no permissions of their own: they label
// people (staff, testers) for the products built on gatehouse.
func DefaultCatalog() Catalog {
	user := []string{"profile.read", "profile.write"}
	return Catalog{
		Roles: []Role{
			{ID: 1, Name: RoleUser, Permissions: user},
			{ID: 2, Name: RoleAdmin, Permissions: append([]string{"users.read", "users.write", "users.admin"}, user...)},
			{ID: 3, Name: RoleSupport, Permissions: []string{"users.read"}},
		},
		Groups: []Group{
			{ID: 1, Name: GroupStaff},
			{ID: 2, Name: GroupTesters},
		},
	}
}

// IsZero reports whether the catalog lists nothing.
func (c Catalog) IsZero() bool { return len(c.Roles) == 0 && len(c.Groups) == 0 }

// Validate reports a catalog whose ids or names are missing or repeated
// (within roles, or within groups), since contracts show the ids and
// grants name the names.
func (c Catalog) Validate() error {
	ids, names := map[int]bool{}, map[string]bool{}
	for _, r := range c.Roles {
		if err := checkEntry("role", r.ID, r.Name, ids, names); err != nil {
			return err
		}
	}
	ids, names = map[int]bool{}, map[string]bool{}
	for _, g := range c.Groups {
		if err := checkEntry("group", g.ID, g.Name, ids, names); err != nil {
			return err
		}
	}
	return nil
}

func checkEntry(kind string, id int, name string, ids map[int]bool, names map[string]bool) error {
	switch {
	case id < 1:
		return fmt.Errorf("identity: catalog: %s %q: id must be positive, got %d", kind, name, id)
	case name == "" || strings.HasPrefix(name, GroupPrefix):
		return fmt.Errorf("identity: catalog: %s %d: bad name %q", kind, id, name)
	case ids[id]:
		return fmt.Errorf("identity: catalog: %s id %d is used twice", kind, id)
	case names[name]:
		return fmt.Errorf("identity: catalog: %s name %q is used twice", kind, name)
	}
	ids[id], names[name] = true, true
	return nil
}

// Role returns the role with that name.
func (c Catalog) Role(name string) (Role, bool) {
	for _, r := range c.Roles {
		if r.Name == name {
			return r, true
		}
	}
	return Role{}, false
}

// Group returns the group with that name.
func (c Catalog) Group(name string) (Group, bool) {
	for _, g := range c.Groups {
		if g.Name == name {
			return g, true
		}
	}
	return Group{}, false
}

// Permissions is the sorted union of the permissions of the named roles
// and groups; names not in the catalog add nothing.
func (c Catalog) Permissions(roles, groups []string) []string {
	set := map[string]bool{}
	for _, name := range roles {
		if r, ok := c.Role(name); ok {
			for _, p := range r.Permissions {
				set[p] = true
			}
		}
	}
	for _, name := range groups {
		if g, ok := c.Group(name); ok {
			for _, p := range g.Permissions {
				set[p] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Grant returns u holding the role named by grant, or the group for
// "group:<name>"; granting what u holds changes nothing.
// fault.Invalid identity.unknown_role for a name not in the catalog.
func (c Catalog) Grant(u User, grant string) (User, error) {
	name, group := ParseGrant(grant)
	if !c.known(name, group) {
		return u, errUnknownRole(grant)
	}
	if group {
		if !slices.Contains(u.Groups, name) {
			u.Groups = append(slices.Clone(u.Groups), name)
		}
	} else if !slices.Contains(u.Roles, name) {
		u.Roles = append(slices.Clone(u.Roles), name)
	}
	return u, nil
}

// Revoke returns u without the role (or "group:<name>") named by grant.
// A name u holds is removed even when the catalog no longer lists it.
// fault.Invalid identity.unknown_role for a name neither held nor known;
// fault.Conflict identity.role_not_held for a known one u does not hold,
// so an operator who mistyped whom learns that nothing changed.
func (c Catalog) Revoke(u User, grant string) (User, error) {
	name, group := ParseGrant(grant)
	held := &u.Roles
	if group {
		held = &u.Groups
	}
	if !slices.Contains(*held, name) {
		if !c.known(name, group) {
			return u, errUnknownRole(grant)
		}
		return u, RoleNotHeld(grant)
	}
	*held = slices.DeleteFunc(slices.Clone(*held), func(s string) bool { return s == name })
	return u, nil
}

// ParseGrant splits a grant into the role or group name and whether it
// names a group, trimming space.
func ParseGrant(grant string) (name string, group bool) {
	grant = strings.TrimSpace(grant)
	if rest, ok := strings.CutPrefix(grant, GroupPrefix); ok {
		return strings.TrimSpace(rest), true
	}
	return grant, false
}

func (c Catalog) known(name string, group bool) bool {
	if group {
		_, ok := c.Group(name)
		return ok
	}
	_, ok := c.Role(name)
	return ok
}

// RoleNotHeld is the fault for revoking a role or group the account does
// not hold.
func RoleNotHeld(grant string) error {
	return fault.New(fault.Conflict, ReasonRoleNotHeld, fmt.Sprintf("The account does not hold %q; nothing changed.", grant))
}

// ReasonRoleNotHeld is the reason of RoleNotHeld.
const ReasonRoleNotHeld = "identity.role_not_held"

func errUnknownRole(grant string) error {
	return fault.New(fault.Invalid, "identity.unknown_role",
		fmt.Sprintf("Unknown role or group %q.", grant))
}

// Clone returns a deep copy, so a caller cannot change the original.
func (c Catalog) Clone() Catalog {
	out := Catalog{Roles: slices.Clone(c.Roles), Groups: slices.Clone(c.Groups)}
	for i := range out.Roles {
		out.Roles[i].Permissions = slices.Clone(out.Roles[i].Permissions)
	}
	for i := range out.Groups {
		out.Groups[i].Permissions = slices.Clone(out.Groups[i].Permissions)
	}
	return out
}
