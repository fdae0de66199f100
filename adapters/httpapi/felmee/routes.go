package felmee

import (
	"net/http"

	"github.com/gorilla/mux"
)

// Mount adds the routes of contract 000 (and our link landing and
// exchange) to r, under Prefix.
func (a *API) Mount(r *mux.Router) {
	api := r
	if a.opts.Prefix != "" {
		api = r.PathPrefix(a.opts.Prefix).Subrouter()
	}
	api.Handle("/openapi/felmee.json", a.doc).Methods(http.MethodGet)

	api.HandleFunc("/api/auth/phone/send/otp", a.sendPhoneCode).Methods(http.MethodPost)
	api.HandleFunc("/api/auth/phone/login", a.phoneLogin).Methods(http.MethodPost)
	api.HandleFunc("/api/auth/email/send/login-link", a.sendLoginLink).Methods(http.MethodPost)
	api.HandleFunc("/api/auth/email/send/otp", a.sendBindCode).Methods(http.MethodPost)
	api.HandleFunc("/api/auth/email/add", a.bindEmail).Methods(http.MethodPut)
	api.HandleFunc("/api/auth/refresh-token", a.refresh).Methods(http.MethodPost)

	api.HandleFunc(LoginLinkPath, a.linkLanding).Methods(http.MethodGet)
	api.HandleFunc(LoginLinkPath, a.linkSignIn).Methods(http.MethodPost)

	if a.opts.Telegram != nil {
		api.HandleFunc("/api/auth/telegram/login", a.telegramLogin).Methods(http.MethodPost)
		api.HandleFunc("/api/auth/telegram/webapp", a.telegramWebApp).Methods(http.MethodPost)
	}
}
