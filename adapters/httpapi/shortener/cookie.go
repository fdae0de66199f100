package shortener

import (
	"net/http"
	"path"
)

// refreshCookie is the name of the cookie that carries the refresh token.
const refreshCookie = "refresh_token"

// cookiePath scopes the refresh cookie to the /auth endpoints, the only
// ones that read it, so it is not sent with every API call.
func (a *API) cookiePath() string {
	return path.Join("/", a.opts.Prefix, "auth")
}

// setRefreshCookie hands the refresh token to a browser: HttpOnly so
// scripts cannot read it, Secure (unless InsecureCookies, for plain-http
// development) and SameSite=Strict so other sites cannot send it.
func (a *API) setRefreshCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{
		Name:     refreshCookie,
		Value:    token,
		Path:     a.cookiePath(),
		MaxAge:   int(a.opts.RefreshTTL.Seconds()),
		HttpOnly: true,
		Secure:   !a.opts.InsecureCookies,
		SameSite: http.SameSiteStrictMode,
	})
}

// clearRefreshCookie tells the browser to drop the refresh cookie.
func (a *API) clearRefreshCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name:     refreshCookie,
		Value:    "",
		Path:     a.cookiePath(),
		MaxAge:   -1,
		HttpOnly: true,
		Secure:   !a.opts.InsecureCookies,
		SameSite: http.SameSiteStrictMode,
	})
}
