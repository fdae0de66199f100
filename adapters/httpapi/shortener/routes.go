package shortener

import (
	"net/http"

	"github.com/gorilla/mux"
)

// aliasPattern is what the redirect routes take as an alias: the characters
// aliases are made of. Anything else (favicon.ico, paths with dots) is not
// an alias and falls through to the router's 404.
const aliasPattern = "{alias:[A-Za-z0-9_-]+}"

// Mount adds the routes of contract 002 to r: the API under Prefix, the
// redirects under RedirectPrefix. A static path of another frontend (or of
// this one: /urls) wins over /{alias}.
func (a *API) Mount(r *mux.Router) {
	api := r
	if a.opts.Prefix != "" {
		api = r.PathPrefix(a.opts.Prefix).Subrouter()
	}
	api.HandleFunc("/openapi/shortener.json", a.serveOpenAPI).Methods(http.MethodGet)

	api.HandleFunc("/auth/register", a.register).Methods(http.MethodPost)
	api.HandleFunc("/auth/login", a.login).Methods(http.MethodPost)
	api.HandleFunc("/auth/refresh", a.refresh).Methods(http.MethodPost)
	api.HandleFunc("/auth/logout", a.logout).Methods(http.MethodPost)

	api.HandleFunc("/users/me", a.me).Methods(http.MethodGet)
	api.HandleFunc("/users/me", a.deleteMe).Methods(http.MethodDelete)

	api.HandleFunc("/urls", a.listURLs).Methods(http.MethodGet)
	api.HandleFunc("/urls", a.createURL).Methods(http.MethodPost)
	api.HandleFunc("/urls/{id}", a.updateURL).Methods(http.MethodPut)
	api.HandleFunc("/urls/{id}", a.deleteURL).Methods(http.MethodDelete)

	redirects := r
	switch a.opts.RedirectPrefix {
	case "":
	case a.opts.Prefix:
		redirects = api
	default:
		redirects = r.PathPrefix(a.opts.RedirectPrefix).Subrouter()
	}
	redirects.HandleFunc("/"+aliasPattern, a.redirect).Methods(http.MethodGet)
	redirects.HandleFunc("/"+aliasPattern+"/qr", a.qr).Methods(http.MethodGet)
}
