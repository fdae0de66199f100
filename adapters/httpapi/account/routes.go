package account

import (
	"net/http"

	"github.com/gorilla/mux"
)

// Mount adds the routes of contract 004 to r.
func (a *API) Mount(r *mux.Router) {
	if a.opts.Prefix != "" {
		r = r.PathPrefix(a.opts.Prefix).Subrouter()
	}
	r.Handle("/openapi/account.json", a.doc).Methods(http.MethodGet)

	r.HandleFunc("/account/registration", a.register).Methods(http.MethodPost)
	r.HandleFunc("/account/login", a.login).Methods(http.MethodPost)
	r.HandleFunc("/account/login/check", a.loginCheck).Methods(http.MethodGet)
	r.HandleFunc("/account/me", a.me).Methods(http.MethodGet)
	r.HandleFunc("/account/edit/info", a.editInfo).Methods(http.MethodPost)

	r.HandleFunc("/info/users/", a.users).Methods(http.MethodGet)
	// The contract puts the key inside one segment: search-42, search-alice.
	r.HandleFunc("/info/users/search-{ref}", a.search).Methods(http.MethodGet)
}
