package vpnapi

import (
	"net/http"

	"github.com/gorilla/mux"
)

// route is one path of this frontend with its handler per method.
type route struct {
	path     string
	handlers map[string]http.HandlerFunc
}

// routes lists every path: the document's first, then ours under /api/vpn/.
func (a *API) routes() []route {
	return []route{
		{"/api/login", map[string]http.HandlerFunc{http.MethodPost: a.login}},
		{"/api/logout", map[string]http.HandlerFunc{http.MethodPost: a.logout}},
		{"/api/user", map[string]http.HandlerFunc{http.MethodGet: a.user}},
		{"/api/subscription", map[string]http.HandlerFunc{http.MethodGet: a.subscription}},
		{"/api/userApp", map[string]http.HandlerFunc{http.MethodGet: a.userApp}},
		{"/api/servers", map[string]http.HandlerFunc{http.MethodPost: a.servers}},
		{"/api/key", map[string]http.HandlerFunc{http.MethodPost: a.key}},

		{"/api/vpn/key/qr", map[string]http.HandlerFunc{http.MethodPost: a.keyQR}},
		{"/api/vpn/devices", map[string]http.HandlerFunc{http.MethodGet: a.devices}},
		{"/api/vpn/devices/{device_id:[0-9]+}", map[string]http.HandlerFunc{http.MethodDelete: a.removeDevice}},
		{"/api/vpn/subscription-link", map[string]http.HandlerFunc{
			http.MethodPost: a.issueLink, http.MethodDelete: a.revokeLink}},
		{"/api/vpn/sub/{token}", map[string]http.HandlerFunc{http.MethodGet: a.feed}},
		{"/api/vpn/dynamic/{token}", map[string]http.HandlerFunc{http.MethodGet: a.dynamicKey}},
		{"/api/vpn/agent/servers/{server_id:[0-9]+}/peers", map[string]http.HandlerFunc{http.MethodGet: a.peers}},
		{"/api/vpn/agent/servers/{server_id:[0-9]+}/stats", map[string]http.HandlerFunc{http.MethodPost: a.reportPeers}},
	}
}

// Mount adds the routes of contract 001 to r, each with the document's
// headers and a CORS preflight answer.
func (a *API) Mount(r *mux.Router) {
	if a.opts.Prefix != "" {
		r = r.PathPrefix(a.opts.Prefix).Subrouter()
	}
	r.Handle("/openapi/vpnapi.json", a.doc).Methods(http.MethodGet)
	for _, rt := range a.routes() {
		methods := make([]string, 0, len(rt.handlers))
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodDelete} {
			if h, ok := rt.handlers[m]; ok {
				r.HandleFunc(rt.path, laravel(h)).Methods(m)
				methods = append(methods, m)
			}
		}
		r.HandleFunc(rt.path, preflight(methods...)).Methods(http.MethodOptions)
	}
}
