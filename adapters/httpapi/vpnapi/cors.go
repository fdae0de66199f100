package vpnapi

import (
	"net/http"
	"strings"
)

// corsMaxAge is how long a browser may reuse a preflight answer, in
// seconds (Chromium caps it at 2 hours).
const corsMaxAge = "7200"

// laravel wraps a handler of the contract with the headers the document
// shows on every answer: Laravel's `cache-control: no-cache, private` and
// the CORS header of its default config (any origin). Any origin is safe
// here: the contract's credential is a bearer token the caller sends on
// purpose, never a cookie a browser would attach by itself.
func laravel(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache, private")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		h(w, r)
	}
}

// preflight answers a CORS preflight (OPTIONS) for a path served with
// methods: the browser extension calls the API from its own origin with
// an Authorization header, which needs one.
func preflight(methods ...string) http.HandlerFunc {
	allow := strings.Join(append(methods, http.MethodOptions), ", ")
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Allow-Methods", allow)
		headers := r.Header.Get("Access-Control-Request-Headers")
		if headers == "" {
			headers = "Authorization, Content-Type, Accept, X-Requested-With"
		}
		h.Set("Access-Control-Allow-Headers", headers)
		h.Set("Access-Control-Max-Age", corsMaxAge)
		h.Add("Vary", "Access-Control-Request-Headers")
		h.Set("Cache-Control", "no-cache, private")
		w.WriteHeader(http.StatusNoContent)
	}
}
