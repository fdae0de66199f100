package authv1

import (
	"net/http"

	"github.com/gorilla/mux"
)

// ConfirmPath is where this contract opens the tokens of emailed links
// (email confirmation, password reset), the token ending the path; the
// app builds the links of those messages from it and the frontend's prefix.
const ConfirmPath = "/v1/user/confirm/"

// Mount adds the routes of contract 003 to r.
func (a *API) Mount(r *mux.Router) {
	if a.opts.Prefix != "" {
		r = r.PathPrefix(a.opts.Prefix).Subrouter()
	}
	r.HandleFunc("/status", a.status).Methods(http.MethodGet)
	r.Handle("/openapi/authv1.json", a.doc).Methods(http.MethodGet)

	r.HandleFunc("/v1/user", a.register).Methods(http.MethodPost)
	r.HandleFunc("/v1/user/profile", a.profile).Methods(http.MethodGet)
	r.HandleFunc("/v1/user/address", a.addAddress).Methods(http.MethodPost)
	r.HandleFunc("/v1/user/address/exists", a.addressExists).Methods(http.MethodGet)
	r.HandleFunc("/v1/user/password/restore", a.restore).Methods(http.MethodPost)
	r.HandleFunc("/v1/user/resendEmail", a.restore).Methods(http.MethodPost)
	r.HandleFunc(ConfirmPath+"{code}", a.confirm).Methods(http.MethodGet)
	r.HandleFunc("/v1/user/password/reset", a.reset).Methods(http.MethodPost)

	r.HandleFunc("/v1/auth/login", a.login).Methods(http.MethodPost)
	r.HandleFunc("/v1/auth/token", a.serviceToken).Methods(http.MethodPost)
	r.HandleFunc("/v1/auth/refresh", a.refresh).Methods(http.MethodPost)
	r.HandleFunc("/v1/auth/publicKey", a.publicKey).Methods(http.MethodGet)
}
