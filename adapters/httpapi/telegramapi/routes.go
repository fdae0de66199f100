package telegramapi

import (
	"net/http"

	"github.com/gorilla/mux"
)

// Mount adds the routes to r, under Prefix.
func (a *API) Mount(r *mux.Router) {
	api := r
	if a.o.Prefix != "" {
		api = r.PathPrefix(a.o.Prefix).Subrouter()
	}
	api.Handle("/openapi/telegram.json", a.doc).Methods(http.MethodGet)
	api.HandleFunc("/telegram/link", a.newLink).Methods(http.MethodPost)
	api.HandleFunc("/telegram/link", a.unlink).Methods(http.MethodDelete)
}
