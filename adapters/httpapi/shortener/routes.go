package shortener

import (
	"net/http"

	"github.com/gorilla/mux"

	"gatehouse/adapters/httpapi"
)

// aliasPattern is what the redirect routes take as an alias: the characters
// aliases are made of. Anything else (favicon.ico, paths with dots) is not
// an alias and falls through to the router's 404.
const aliasPattern = "{alias:[A-Za-z0-9_-]+}"

// Mount adds the API routes of contract 002 to r, under Prefix. The
// redirects are mounted apart (Redirects): on the root they match any first
// segment, and in a router of their own they cost the other routes nothing.
func (a *API) Mount(r *mux.Router) {
	api := r
	if a.opts.Prefix != "" {
		api = r.PathPrefix(a.opts.Prefix).Subrouter()
	}
	api.Handle("/openapi/shortener.json", a.doc).Methods(http.MethodGet)

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
}

// Redirects mounts GET /{alias} and its QR code under RedirectPrefix. A
// static path of any frontend (this one's /urls included) wins over
// /{alias}.
func (a *API) Redirects() httpapi.Mounter {
	return httpapi.MounterFunc(func(r *mux.Router) {
		if a.opts.RedirectPrefix != "" {
			r = r.PathPrefix(a.opts.RedirectPrefix).Subrouter()
		}
		r.HandleFunc("/"+aliasPattern, a.redirect).Methods(http.MethodGet)
		r.HandleFunc("/"+aliasPattern+"/qr", a.qr).Methods(http.MethodGet)
	})
}
