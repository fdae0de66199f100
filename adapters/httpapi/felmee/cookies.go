package felmee

import (
	"net/http"
	"path"
	"strings"

	"gatehouse/adapters/httpapi"
	"gatehouse/ports"
)

// accessCookiePath scopes the access-token cookie to the API paths, where
// the product's own endpoints read it too; refreshCookiePath scopes the
// refresh token to the one endpoint that reads it, so it travels nowhere
// else.
func (a *API) accessCookiePath() string { return path.Join("/", a.opts.Prefix, "api") }
func (a *API) refreshCookiePath() string {
	return path.Join("/", a.opts.Prefix, "api/auth/refresh-token")
}

// setTokenCookies hands both tokens to a browser: HttpOnly, so scripts
// cannot read them; Secure outside development; SameSite, so other sites
// do not send them.
func (a *API) setTokenCookies(w http.ResponseWriter, pair ports.TokenPair) {
	a.cookie(w, a.opts.AccessCookie, pair.AccessToken, a.accessCookiePath(), int(a.opts.AccessTTL.Seconds()))
	a.cookie(w, a.opts.RefreshCookie, pair.RefreshToken, a.refreshCookiePath(), int(a.opts.RefreshTTL.Seconds()))
}

// clearTokenCookies tells the browser to drop both cookies.
func (a *API) clearTokenCookies(w http.ResponseWriter) {
	a.cookie(w, a.opts.AccessCookie, "", a.accessCookiePath(), -1)
	a.cookie(w, a.opts.RefreshCookie, "", a.refreshCookiePath(), -1)
}

func (a *API) cookie(w http.ResponseWriter, name, value, p string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: p, MaxAge: maxAge,
		HttpOnly: true, Secure: !a.opts.InsecureCookies, SameSite: a.opts.SameSite,
	})
}

// accessToken is the caller's JWT: from Authorization: Bearer, else from
// the access cookie (read through httpapi.CredentialCookie, so a cross-site
// request cannot ride it). "" when neither is given.
func (a *API) accessToken(r *http.Request) (string, error) {
	if t, ok := httpapi.BearerToken(r); ok {
		return t, nil
	}
	return httpapi.CredentialCookie(r, a.opts.AccessCookie)
}

// refreshToken is the caller's refresh token: from the header
// "RT: Bearer <rt>" (the document's example also sends it bare), else the
// refresh cookie. fromCookie says which.
func (a *API) refreshToken(r *http.Request) (token string, fromCookie bool, err error) {
	h := strings.TrimSpace(r.Header.Get("RT"))
	if scheme, rest, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") {
		h = strings.TrimSpace(rest)
	}
	if h != "" {
		return h, false, nil
	}
	token, err = httpapi.CredentialCookie(r, a.opts.RefreshCookie)
	return token, true, err
}
