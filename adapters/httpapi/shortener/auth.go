package shortener

import (
	"net/http"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
	"gatehouse/ports"
)

// registerRequest is the body of POST /auth/register.
type registerRequest struct {
	Email    string `json:"email"`
	Username string `json:"username"`
	Password string `json:"password"`
}

// loginRequest is the body of POST /auth/login.
type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// tokenRequest is the body of POST /auth/refresh and, optionally, of POST
// /auth/logout.
type tokenRequest struct {
	Token string `json:"token"`
}

// tokenResponse is the contract's token pair object.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
}

// register creates an account whose login is the username.
func (a *API) register(w http.ResponseWriter, r *http.Request) {
	var req registerRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		errs.Write(w, r, err)
		return
	}
	if err := httpapi.Require(httpapi.Field{Name: "email", Value: req.Email}, httpapi.Field{Name: "username", Value: req.Username}, httpapi.Field{Name: "password", Value: req.Password}); err != nil {
		errs.Write(w, r, err)
		return
	}
	u, err := a.accounts.Register(r.Context(), ports.Registration{
		Login:    req.Username,
		Email:    req.Email,
		Password: req.Password,
		Source:   "shortener",
		IP:       httpapi.ClientIP(r),
	})
	if err != nil {
		errs.Write(w, r, registerFault(err))
		return
	}
	httpapi.WriteJSON(w, http.StatusCreated, newUserObject(u))
}

// login checks the password and starts a session on the caller's device.
func (a *API) login(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		errs.Write(w, r, err)
		return
	}
	if err := httpapi.Require(httpapi.Field{Name: "email", Value: req.Email}, httpapi.Field{Name: "password", Value: req.Password}); err != nil {
		errs.Write(w, r, err)
		return
	}
	u, err := a.accounts.Authenticate(r.Context(), ports.Credentials{Handle: req.Email, Password: req.Password, IP: httpapi.ClientIP(r)})
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	pair, err := a.sessions.Start(r.Context(), u.ID, a.opts.Audience, httpapi.DeviceOf(r, ""))
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	a.writeTokens(w, pair)
}

// refresh exchanges a refresh token, from the body or else the cookie, for
// a new pair, once. A refused token is the contract's 403, and a refused
// cookie is cleared so the browser stops sending it.
func (a *API) refresh(w http.ResponseWriter, r *http.Request) {
	var req tokenRequest
	if err := decodeOptional(r, &req); err != nil {
		errs.Write(w, r, err)
		return
	}
	token, fromCookie := req.Token, false
	if token == "" {
		var err error
		if token, err = httpapi.CredentialCookie(r, refreshCookie); err != nil {
			errs.Write(w, r, err)
			return
		}
		fromCookie = true
	}
	if err := httpapi.Require(httpapi.Field{Name: "token", Value: token}); err != nil {
		errs.Write(w, r, err)
		return
	}
	pair, err := a.sessions.Rotate(r.Context(), token, httpapi.DeviceOf(r, ""))
	if err != nil {
		if fromCookie && fault.Is(err, fault.Unauthenticated) {
			a.clearRefreshCookie(w)
		}
		errs.Write(w, r, refreshRefused(err))
		return
	}
	a.writeTokens(w, pair)
}

// logout ends the session of the access token and, when the caller also
// presents a refresh token (body or cookie), that token's family: the
// document's blacklist. The cookie is cleared either way.
func (a *API) logout(w http.ResponseWriter, r *http.Request) {
	claims, ok := a.authenticate(w, r)
	if !ok {
		return
	}
	// Whatever body comes with it, a logout logs out: a body that is not
	// the document's JSON only names no refresh token.
	var req tokenRequest
	_ = decodeOptional(r, &req)
	if err := a.sessions.EndSession(r.Context(), claims.SessionID); err != nil {
		errs.Write(w, r, err)
		return
	}
	refresh := req.Token
	if refresh == "" {
		var err error
		if refresh, err = httpapi.CredentialCookie(r, refreshCookie); err != nil {
			errs.Write(w, r, err)
			return
		}
	}
	if refresh != "" {
		// A token that is unknown or already revoked needs no revoking;
		// the caller's own session has ended above.
		if err := a.sessions.Logout(r.Context(), refresh); err != nil && !fault.Is(err, fault.Unauthenticated) {
			errs.Write(w, r, err)
			return
		}
	}
	a.clearRefreshCookie(w)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}

// writeTokens answers a token pair and sets the refresh cookie; tokens must
// never be cached (RFC 6749 5.1).
func (a *API) writeTokens(w http.ResponseWriter, pair ports.TokenPair) {
	a.setRefreshCookie(w, pair.RefreshToken)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	httpapi.WriteJSON(w, http.StatusOK, tokenResponse{AccessToken: pair.AccessToken, RefreshToken: pair.RefreshToken})
}
