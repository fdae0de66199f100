package felmee

import (
	"net/http"
	"strings"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
)

// bindRequest is the body of PUT /api/auth/email/add.
type bindRequest struct {
	Email string `json:"email"`
	OTP   string `json:"otp"`
}

// sendLoginLink serves POST /api/auth/email/send/login-link: the same
// success answer whether or not an account has the address.
func (a *API) sendLoginLink(w http.ResponseWriter, r *http.Request) {
	req, err := codeRequest(r)
	if err == nil {
		err = a.pw.SendLoginLink(r.Context(), req)
	}
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	ok(w, msgLinkSent, nil)
}

// sendBindCode serves POST /api/auth/email/send/otp: a code goes out only
// when no account has the address, and the answer is the same either way.
func (a *API) sendBindCode(w http.ResponseWriter, r *http.Request) {
	userID, authed := a.authenticate(w, r)
	if !authed {
		return
	}
	req, err := codeRequest(r)
	if err == nil {
		err = a.pw.SendBindCode(r.Context(), userID, req)
	}
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	ok(w, msgBindSent, nil)
}

// bindEmail serves PUT /api/auth/email/add.
func (a *API) bindEmail(w http.ResponseWriter, r *http.Request) {
	userID, authed := a.authenticate(w, r)
	if !authed {
		return
	}
	var req bindRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		errs.Write(w, r, err)
		return
	}
	if err := httpapi.Require(httpapi.Field{Name: "email", Value: req.Email}, httpapi.Field{Name: "otp", Value: req.OTP}); err != nil {
		errs.Write(w, r, err)
		return
	}
	if _, err := a.pw.BindEmail(r.Context(), userID, req.Email, strings.TrimSpace(req.OTP), httpapi.ClientIP(r)); err != nil {
		errs.Write(w, r, err)
		return
	}
	ok(w, msgBound, nil)
}

// authenticate returns the user of the caller's JWT, or answers 401
// (unauthorized) and false.
func (a *API) authenticate(w http.ResponseWriter, r *http.Request) (string, bool) {
	token, err := a.accessToken(r)
	if err == nil && token == "" {
		err = fault.New(fault.Unauthenticated, "felmee.no_token",
			"A JWT is required: Authorization: Bearer <token> or the JWT cookie.")
	}
	if err != nil {
		errs.Write(w, r, err)
		return "", false
	}
	claims, err := a.sessions.Verify(r.Context(), token, a.opts.Audience)
	if err != nil {
		errs.Write(w, r, err)
		return "", false
	}
	return claims.Subject, true
}
