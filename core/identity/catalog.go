package identity

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
