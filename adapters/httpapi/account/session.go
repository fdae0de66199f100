package account

import (
	"net/http"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
	"gatehouse/core/sessions"
)

// authenticate checks the request's opaque token and returns it with the
// session it stands for. A missing token is fault.Unauthenticated, which
// this contract answers with 403.
func (a *API) authenticate(r *http.Request) (string, sessions.Claims, error) {
	token := httpapi.AuthorizationToken(r)
	if token == "" {
		return "", sessions.Claims{}, fault.New(fault.Unauthenticated, "account.token_missing",
			"Authorization header with a token is required.")
	}
	claims, err := a.sessions.VerifyOpaque(r.Context(), token)
	if err != nil {
		return "", sessions.Claims{}, err
	}
	return token, claims, nil
}
