package account

import (
	"context"

	"gatehouse/core/identity"
)

// createdAtLayout is how the document writes times: 2024-03-07 23:32:53.818302 (UTC).
const createdAtLayout = "2006-01-02 15:04:05.000000"

// named is a role or a group as the contract shows it.
type named struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// publicProfile is a user as /info/users/ and the search show it.
type publicProfile struct {
	ID              int64   `json:"id"`
	Login           string  `json:"login"`
	Email           string  `json:"email"`
	FirstName       string  `json:"first_name"`
	LastName        string  `json:"last_name"`
	CreatedAt       string  `json:"created_at"`
	Description     string  `json:"description"`
	BackgroundColor string  `json:"background_color"`
	Birthday        string  `json:"birthday"`
	Patronymic      string  `json:"patronymic"`
	Avatar          string  `json:"avatar"`
	Groups          []named `json:"groups"`
	Roles           []named `json:"roles"`
}

// profileResponse is the signed-in user as registration, login and
// /account/me show it: the public profile, its permissions and the token.
type profileResponse struct {
	publicProfile
	Permissions []string `json:"permissions"`
	Token       string   `json:"token"`
}

// catalogIDs maps role and group names to the integer ids the contract shows.
type catalogIDs struct {
	roles, groups map[string]int
}

// catalogIDs indexes the use cases' catalog.
func (a *API) catalogIDs() catalogIDs {
	c := a.profiles.Catalog()
	ids := catalogIDs{roles: make(map[string]int, len(c.Roles)), groups: make(map[string]int, len(c.Groups))}
	for _, r := range c.Roles {
		ids.roles[r.Name] = r.ID
	}
	for _, g := range c.Groups {
		ids.groups[g.Name] = g.ID
	}
	return ids
}

// publicOf shapes a user for the contract; arrays are never null.
func (c catalogIDs) publicOf(u identity.User) publicProfile {
	return publicProfile{
		ID:              u.Number,
		Login:           u.Login,
		Email:           u.Email,
		FirstName:       u.FirstName,
		LastName:        u.LastName,
		CreatedAt:       u.CreatedAt.UTC().Format(createdAtLayout),
		Description:     u.Description,
		BackgroundColor: u.BackgroundColor,
		Birthday:        u.Birthday,
		Patronymic:      u.Patronymic,
		Avatar:          u.Avatar,
		Groups:          namedOf(u.Groups, c.groups),
		Roles:           namedOf(u.Roles, c.roles),
	}
}

// namedOf pairs names with their catalog ids. A name the catalog no longer
// knows has no id to show, so it is left out.
func namedOf(names []string, ids map[string]int) []named {
	out := make([]named, 0, len(names))
	for _, n := range names {
		if id, ok := ids[n]; ok {
			out = append(out, named{ID: id, Name: n})
		}
	}
	return out
}

// profileOf shapes the signed-in user with its permissions and token.
func (a *API) profileOf(ctx context.Context, u identity.User, token string) profileResponse {
	return profileResponse{
		publicProfile: a.catalogIDs().publicOf(u),
		Permissions:   append(make([]string, 0), a.profiles.Permissions(ctx, u)...),
		Token:         token,
	}
}
