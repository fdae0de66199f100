package account

import (
	"net/http"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// infoRequest is the body of POST /account/edit/info. A field left out
// (or null) stays as it is; "" clears patronymic, birthday, description and
// background_color.
type infoRequest struct {
	FirstName       *string `json:"first_name"`
	LastName        *string `json:"last_name"`
	Patronymic      *string `json:"patronymic"`
	Birthday        *string `json:"birthday"`
	Description     *string `json:"description"`
	BackgroundColor *string `json:"background_color"`
}

// infoResponse is the body of a 200 from POST /account/edit/info.
type infoResponse struct {
	FirstName       string `json:"first_name"`
	LastName        string `json:"last_name"`
	Patronymic      string `json:"patronymic"`
	Birthday        string `json:"birthday"`
	Description     string `json:"description"`
	BackgroundColor string `json:"background_color"`
}

// me returns the signed-in user with the token it presented.
func (a *API) me(w http.ResponseWriter, r *http.Request) {
	token, claims, err := a.authenticate(r)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	u, err := a.accounts.Profile(r.Context(), claims.Subject)
	if err != nil {
		errs.Write(w, r, accountGone(err))
		return
	}
	writeNoStore(w, a.profileOf(r.Context(), u, token))
}

// editInfo changes the signed-in user's profile fields.
func (a *API) editInfo(w http.ResponseWriter, r *http.Request) {
	_, claims, err := a.authenticate(r)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	var req infoRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		errs.Write(w, r, err)
		return
	}
	err = check(
		optional("first_name", req.FirstName), optional("last_name", req.LastName),
		optional("patronymic", req.Patronymic), optional("birthday", req.Birthday),
		optional("background_color", req.BackgroundColor),
	)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	u, err := a.profiles.UpdateProfile(r.Context(), claims.Subject, ports.ProfileUpdate{
		FirstName:       req.FirstName,
		LastName:        req.LastName,
		Patronymic:      req.Patronymic,
		Birthday:        req.Birthday,
		Description:     req.Description,
		BackgroundColor: req.BackgroundColor,
	})
	if err != nil {
		errs.Write(w, r, accountGone(err))
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, infoOf(u))
}

// infoOf is the six editable fields of u.
func infoOf(u identity.User) infoResponse {
	return infoResponse{
		FirstName:       u.FirstName,
		LastName:        u.LastName,
		Patronymic:      u.Patronymic,
		Birthday:        u.Birthday,
		Description:     u.Description,
		BackgroundColor: u.BackgroundColor,
	}
}

// accountGone turns "no such user" behind a valid token into a refused
// token: the session of a deleted account proves nothing any more.
func accountGone(err error) error {
	if fault.Is(err, fault.NotFound) {
		return fault.Wrap(err, fault.Unauthenticated, "account.account_gone", "The token is not valid.")
	}
	return err
}
