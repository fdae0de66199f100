package shortener

import (
	"net/http"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
	"gatehouse/core/sessions"
)

// decodeOptional reads a JSON body that may be absent (logout, and refresh
// by cookie): an empty body leaves dst as it is.
func decodeOptional(r *http.Request, dst any) error {
	if r.ContentLength == 0 {
		return nil
	}
	err := httpapi.DecodeJSON(r, dst)
	if fault.ReasonOf(err) == httpapi.ReasonEmptyBody {
		return nil
	}
	return err
}

// authenticate checks the request's bearer access token. When it fails it
// answers 401 itself, with a bearer challenge (RFC 6750), and reports false.
func (a *API) authenticate(w http.ResponseWriter, r *http.Request) (sessions.Claims, bool) {
	// The document names no scheme: the token may come bare or after Bearer.
	token := httpapi.AuthorizationToken(r)
	if token == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="gatehouse"`)
		errs.Write(w, r, fault.New(fault.Unauthenticated, "shortener.token_missing",
			"An access token is required: Authorization: Bearer <access_token>."))
		return sessions.Claims{}, false
	}
	claims, err := a.sessions.Verify(r.Context(), token, a.opts.Audience)
	if err != nil {
		if fault.Is(err, fault.Unauthenticated) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="gatehouse", error="invalid_token"`)
		}
		errs.Write(w, r, err)
		return sessions.Claims{}, false
	}
	return claims, true
}
