package authv1

import (
	"net/http"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// loginRequest is the body of POST /v1/auth/login. A locale given becomes
// the account's: the document says it chooses the language of mail.
// Source changes nothing at sign-in.
type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Locale   string `json:"locale"`
	Source   string `json:"source"`
}

// refreshRequest is the body of POST /v1/auth/refresh.
type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

// tokenResponse is the token pair of login and refresh.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
}

// login checks the password and starts a session on the caller's device.
func (a *API) login(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		errs.Write(w, r, err)
		return
	}
	if err := httpapi.Require(httpapi.Field{Name: "username", Value: req.Username}, httpapi.Field{Name: "password", Value: req.Password}); err != nil {
		errs.Write(w, r, err)
		return
	}
	locale, err := parseLocale(req.Locale)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	u, err := a.accounts.Authenticate(r.Context(), ports.Credentials{Handle: req.Username, Password: req.Password, IP: httpapi.ClientIP(r)})
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	if req.Locale != "" && locale != u.Locale {
		if _, err := a.profiles.UpdateProfile(r.Context(), u.ID, ports.ProfileUpdate{Locale: &locale}); err != nil {
			errs.Write(w, r, err)
			return
		}
	}
	pair, err := a.sessions.Start(r.Context(), u.ID, a.opts.Audience, httpapi.DeviceOf(r, ""))
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	writeTokens(w, pair)
}

// refresh exchanges a refresh token for a new pair, once.
func (a *API) refresh(w http.ResponseWriter, r *http.Request) {
	var req refreshRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		errs.Write(w, r, err)
		return
	}
	if err := httpapi.Require(httpapi.Field{Name: "refresh_token", Value: req.RefreshToken}); err != nil {
		errs.Write(w, r, err)
		return
	}
	pair, err := a.sessions.Rotate(r.Context(), req.RefreshToken, httpapi.DeviceOf(r, ""))
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	writeTokens(w, pair)
}

// publicKey serves the PEM of the key that signs access tokens now.
func (a *API) publicKey(w http.ResponseWriter, r *http.Request) {
	pem, err := a.signer.PublicKeyPEM(r.Context())
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(pem)
}

// authenticate checks the request's bearer access token.
func (a *API) authenticate(r *http.Request) (sessions.Claims, error) {
	token, ok := httpapi.BearerToken(r)
	if !ok {
		return sessions.Claims{}, fault.New(fault.Unauthenticated, "authv1.token_missing",
			"An access token is required: Authorization: Bearer <token>.")
	}
	return a.sessions.Verify(r.Context(), token, a.opts.Audience)
}

// signedIn checks the request's bearer access token of this frontend's
// audience and returns its claims; on failure it answers 401 with a
// WWW-Authenticate challenge (RFC 6750 3) and reports false.
func (a *API) signedIn(w http.ResponseWriter, r *http.Request) (sessions.Claims, bool) {
	claims, err := a.authenticate(r)
	if err != nil {
		if fault.Is(err, fault.Unauthenticated) {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		}
		errs.Write(w, r, err)
		return sessions.Claims{}, false
	}
	return claims, true
}

// writeTokens answers a token pair; tokens must never be cached (RFC 6749 5.1).
func writeTokens(w http.ResponseWriter, pair ports.TokenPair) {
	tokenType := pair.TokenType
	if tokenType == "" {
		tokenType = "Bearer"
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	httpapi.WriteJSON(w, http.StatusOK, tokenResponse{
		AccessToken:  pair.AccessToken,
		RefreshToken: pair.RefreshToken,
		TokenType:    tokenType,
	})
}
