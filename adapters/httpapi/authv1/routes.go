package authv1

import (
	"net/http"

	"github.com/gorilla/mux"
)

// Mount adds the routes of contract 003 to r.
func (a *API) Mount(r *mux.Router) {
	if a.opts.Prefix != "" {
		r = r.PathPrefix(a.opts.Prefix).Subrouter()
	}
	r.HandleFunc("/status", a.status).Methods(http.MethodGet)
	r.HandleFunc("/openapi/authv1.json", serveOpenAPI).Methods(http.MethodGet)

	r.HandleFunc("/v1/user", a.register).Methods(http.MethodPost)
	r.HandleFunc("/v1/user/profile", a.profile).Methods(http.MethodGet)
	r.HandleFunc("/v1/user/address", a.addAddress).Methods(http.MethodPost)
	r.HandleFunc("/v1/user/address/exists", a.addressExists).Methods(http.MethodGet)
	r.HandleFunc("/v1/user/password/restore", a.restore).Methods(http.MethodPost)
	r.HandleFunc("/v1/user/resendEmail", a.restore).Methods(http.MethodPost)
	r.HandleFunc("/v1/user/confirm/{code}", a.confirm).Methods(http.MethodGet)
	r.HandleFunc("/v1/user/password/reset", a.reset).Methods(http.MethodPost)

	r.HandleFunc("/v1/auth/login", a.login).Methods(http.MethodPost)
	r.HandleFunc("/v1/auth/token", a.serviceToken).Methods(http.MethodPost)
	r.HandleFunc("/v1/auth/refresh", a.refresh).Methods(http.MethodPost)
	r.HandleFunc("/v1/auth/publicKey", a.publicKey).Methods(http.MethodGet)
}
