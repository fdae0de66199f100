package authv1

import (
	"net/http"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// registerRequest is the body of POST /v1/user.
type registerRequest struct {
	Login    string `json:"login"` // an email address
	Password string `json:"password"`
	Locale   string `json:"locale"`
	Source   string `json:"source"`
}

// registerResponse is the body of a 201 from POST /v1/user. The contract
// names only the status; the id lets a client refer to the new account.
type registerResponse struct {
	ID string `json:"id"`
}

// register creates an account whose email is the login.
func (a *API) register(w http.ResponseWriter, r *http.Request) {
	var req registerRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		errs.Write(w, r, err)
		return
	}
	if err := httpapi.Require(httpapi.Field{Name: "login", Value: req.Login}, httpapi.Field{Name: "password", Value: req.Password}); err != nil {
		errs.Write(w, r, err)
		return
	}
	// The contract's login is an email address, stricter than gatehouse's
	// general login rule; the use case makes an email-shaped login the
	// account's email too, so it signs in through every contract.
	if !identity.LooksLikeEmail(req.Login) {
		errs.Write(w, r, fault.Invalidf("login", "email", "login must be an email address."))
		return
	}
	locale, err := parseLocale(req.Locale)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	u, err := a.accounts.Register(r.Context(), ports.Registration{
		Login:    req.Login,
		Password: req.Password,
		Locale:   locale,
		Source:   req.Source,
		IP:       httpapi.ClientIP(r),
	})
	if err != nil {
		// The account's email is this contract's login.
		errs.Write(w, r, httpapi.RenameField(err, "email", "login"))
		return
	}
	httpapi.WriteJSON(w, http.StatusCreated, registerResponse{ID: u.ID})
}

// profileResponse is the body of GET /v1/user/profile; arrays are never null.
type profileResponse struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Locale    string   `json:"locale"`
	Addresses []string `json:"addresses"`
	Roles     []string `json:"roles"`
}

// profile returns the signed-in user's profile.
func (a *API) profile(w http.ResponseWriter, r *http.Request) {
	claims, ok := a.signedIn(w, r)
	if !ok {
		return
	}
	u, err := a.accounts.Profile(r.Context(), claims.Subject)
	if fault.Is(err, fault.NotFound) {
		// A valid token of a deleted account proves nothing any more.
		err = fault.Wrap(err, fault.Unauthenticated, "authv1.account_gone", "The access token is not valid.")
	}
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, newProfile(u))
}

// newProfile shapes a user for the contract.
func newProfile(u identity.User) profileResponse {
	p := profileResponse{
		ID:        u.ID,
		Name:      u.DisplayName(),
		Locale:    string(u.Locale),
		Addresses: make([]string, 0, len(u.Addresses)),
		Roles:     append(make([]string, 0, len(u.Roles)), u.Roles...),
	}
	if p.Locale == "" {
		p.Locale = string(identity.LocaleEN)
	}
	for _, addr := range u.Addresses {
		p.Addresses = append(p.Addresses, addr.Address)
	}
	return p
}
