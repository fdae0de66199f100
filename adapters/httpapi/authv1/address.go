package authv1

import (
	"net/http"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// addressRequest is the body of POST /v1/user/address.
type addressRequest struct {
	Address string `json:"address"` // the blockchain address
	Name    string `json:"name"`    // the name the user gives it
}

// addressResponse is the body of a 200 from POST /v1/user/address.
type addressResponse struct {
	AddressID string `json:"addressId"`
}

// existsResponse is the body of GET /v1/user/address/exists.
type existsResponse struct {
	Exist bool `json:"exist"`
}

// addAddress adds a named blockchain address to the signed-in user. The
// document calls name "the user's name": it becomes the profile's first
// name when that is empty, and labels the address either way. The
// contract shows only the body, so it answers 200 like its other methods.
func (a *API) addAddress(w http.ResponseWriter, r *http.Request) {
	claims, ok := a.signedIn(w, r)
	if !ok {
		return
	}
	var req addressRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		errs.Write(w, r, err)
		return
	}
	if err := httpapi.Require(httpapi.Field{Name: "address", Value: req.Address}, httpapi.Field{Name: "name", Value: req.Name}); err != nil {
		errs.Write(w, r, err)
		return
	}
	addr, err := a.profiles.AddAddress(r.Context(), claims.Subject, req.Name, req.Address)
	if fault.Is(err, fault.NotFound) {
		// A valid token of a deleted account proves nothing any more.
		err = fault.Wrap(err, fault.Unauthenticated, "authv1.account_gone", "The access token is not valid.")
	}
	if err == nil {
		err = a.nameIfNameless(r, claims.Subject, req.Name)
	}
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, addressResponse{AddressID: addr.ID})
}

// nameIfNameless sets the user's first name to name when the profile has
// none yet.
func (a *API) nameIfNameless(r *http.Request, userID, name string) error {
	u, err := a.accounts.Profile(r.Context(), userID)
	if err != nil || u.FirstName != "" || u.LastName != "" {
		return err
	}
	_, err = a.profiles.UpdateProfile(r.Context(), userID, ports.ProfileUpdate{FirstName: &name})
	return err
}

// addressExists reports whether an account has the email given in the
// query. It tells anyone whether an email is registered, so the use case
// throttles it per client IP.
func (a *API) addressExists(w http.ResponseWriter, r *http.Request) {
	email := r.URL.Query().Get("email")
	if err := httpapi.Require(httpapi.Field{Name: "email", Value: email}); err != nil {
		errs.Write(w, r, err)
		return
	}
	if !identity.LooksLikeEmail(email) {
		errs.Write(w, r, fault.Invalidf("email", "email", "email must be an email address."))
		return
	}
	exist, err := a.profiles.EmailRegistered(r.Context(), email, httpapi.ClientIP(r))
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, existsResponse{Exist: exist})
}
