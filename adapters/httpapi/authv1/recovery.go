package authv1

import (
	"net/http"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
	"gatehouse/core/identity"
)

// Password recovery chains three calls: restore (or resendEmail) mails a
// link to /v1/user/confirm/{code}; confirm turns the code into a reset
// token; reset spends the token on a new password. openapi.json tells the
// same story for clients.

// restoreRequest is the body of POST /v1/user/password/restore and of POST
// /v1/user/resendEmail (which sends no source). Source is part of the
// contract but changes nothing.
type restoreRequest struct {
	Email  string `json:"email"`
	Source string `json:"source"`
}

// emailResponse is the body of restore and resendEmail: the email as given.
type emailResponse struct {
	Email string `json:"email"`
}

// confirmResponse is the body of GET /v1/user/confirm/{code}.
type confirmResponse struct {
	Token   string `json:"token,omitempty"` // a password reset's only`
	Purpose string `json:"purpose"`
}

// resetRequest is the body of POST /v1/user/password/reset. The contract
// calls the field "password" and describes it as the current password; it
// is the new one, since the user who resets has lost the current one.
type resetRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

// resetResponse is the body of a 200 from POST /v1/user/password/reset.
type resetResponse struct {
	UserID string `json:"userId"`
}

// restore starts a password reset (POST /v1/user/password/restore) and
// resendEmail sends a new one (POST /v1/user/resendEmail): the use case
// replaces any earlier reset code, so both are one operation. Both answer
// the same whether or not an account has the email, so neither tells who
// is registered.
func (a *API) restore(w http.ResponseWriter, r *http.Request) {
	var req restoreRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		errs.Write(w, r, err)
		return
	}
	if err := httpapi.Require(httpapi.Field{Name: "email", Value: req.Email}); err != nil {
		errs.Write(w, r, err)
		return
	}
	// Only the shape is checked here: it says nothing about accounts.
	if !identity.LooksLikeEmail(req.Email) {
		errs.Write(w, r, fault.Invalidf("email", "email", "email must be an email address."))
		return
	}
	if err := a.recovery.StartPasswordReset(r.Context(), req.Email, httpapi.ClientIP(r)); err != nil {
		errs.Write(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, emailResponse{Email: req.Email})
}

// confirm checks the code of an emailed link without spending it and
// returns the token for the next step. The code sits in the URL, so the
// answer is neither cached nor passed on in a Referer.
func (a *API) confirm(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	purpose, token, err := a.recovery.Confirm(r.Context(), httpapi.Vars(r)["code"])
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, confirmResponse{Token: token, Purpose: string(purpose)})
}

// reset sets a new password with the token confirm returned, once, and
// ends every session of the user.
func (a *API) reset(w http.ResponseWriter, r *http.Request) {
	var req resetRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		errs.Write(w, r, err)
		return
	}
	if err := httpapi.Require(httpapi.Field{Name: "token", Value: req.Token}, httpapi.Field{Name: "password", Value: req.Password}); err != nil {
		errs.Write(w, r, err)
		return
	}
	userID, err := a.recovery.ResetPassword(r.Context(), req.Token, req.Password)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, resetResponse{UserID: userID})
}
