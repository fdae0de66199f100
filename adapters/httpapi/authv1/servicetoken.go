package authv1

import (
	"gatehouse/adapters/httpapi"
	"net/http"
)

// serviceToken gives the signed-in user a token pair for an external
// service (POST /v1/auth/token). The pair is a family of its own with the
// service audience: it refreshes through /v1/auth/refresh, is revoked
// without touching the user's session, and its access tokens are refused
// by the user API, which accepts only this frontend's own audience.
func (a *API) serviceToken(w http.ResponseWriter, r *http.Request) {
	claims, ok := a.signedIn(w, r)
	if !ok {
		return
	}
	d := httpapi.DeviceOf(r, "")
	d.Name = "External service via " + d.Name
	pair, err := a.sessions.Start(r.Context(), claims.Subject, a.opts.ServiceAudience, d)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	writeTokens(w, pair)
}
