package felmee

import (
	"net/http"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
)

// refresh serves POST /api/auth/refresh-token: the refresh token, by the
// RT header or cookie, for a new pair, once; a reused token revokes its
// family (ports.Sessions.Rotate). A refused cookie is cleared, so the
// browser stops sending it.
func (a *API) refresh(w http.ResponseWriter, r *http.Request) {
	token, fromCookie, err := a.refreshToken(r)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	if token == "" {
		errs.Write(w, r, fault.New(fault.Unauthenticated, "felmee.no_refresh_token",
			"A refresh token is required: the RT header (RT: Bearer <token>) or the RT cookie."))
		return
	}
	pair, err := a.sessions.Rotate(r.Context(), token, httpapi.DeviceOf(r, ""))
	if err != nil {
		if fromCookie && fault.Is(err, fault.Unauthenticated) {
			a.clearTokenCookies(w)
		}
		errs.Write(w, r, err)
		return
	}
	a.signedIn(w, msgRefreshed, pair)
}
