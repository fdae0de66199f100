package account

import (
	"net/http"
	"strings"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
)

// tokenOf returns the opaque token of the Authorization header: bare, as
// the document sends it, or after "Bearer " (any case), as most HTTP
// clients do.
func tokenOf(r *http.Request) string {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if scheme, rest, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") {
		return strings.TrimSpace(rest)
	}
	return h
}

// authenticate checks the request's opaque token and returns it with the
// session it stands for. A missing token is fault.Unauthenticated, which
// this contract answers with 403.
func (a *API) authenticate(r *http.Request) (string, sessions.Claims, error) {
	token := tokenOf(r)
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
