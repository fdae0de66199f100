package httpapi

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gorilla/mux"
)

// TestCandidatesChangeNoMatch: narrowing the routers by first segment picks
// the same route, or the same 405, as trying every router.
func TestCandidatesChangeNoMatch(t *testing.T) {
	ok := func(http.ResponseWriter, *http.Request) {}
	mounts := []func(r *mux.Router){
		func(r *mux.Router) {
			r.HandleFunc("/healthz", ok).Methods(http.MethodGet)
			r.PathPrefix("/debug/pprof/").HandlerFunc(ok)
		},
		func(r *mux.Router) {
			r.HandleFunc("/v1/user", ok).Methods(http.MethodPost)
			r.HandleFunc("/v1/user/confirm/{code}", ok).Methods(http.MethodGet)
		},
		func(r *mux.Router) { // a variable first segment: tried for every path
			r.HandleFunc("/{alias}", ok).Methods(http.MethodGet, http.MethodHead)
			r.HandleFunc("/urls", ok).Methods(http.MethodGet)
		},
		func(r *mux.Router) { // a prefix ending inside the first segment
			r.PathPrefix("/api").HandlerFunc(ok).Methods(http.MethodPost)
		},
		func(r *mux.Router) {
			r.HandleFunc("/", ok).Methods(http.MethodGet)
			r.HandleFunc("/account/me", ok).Methods(http.MethodGet)
			s := r.PathPrefix("/info").Subrouter()
			s.HandleFunc("/users/search-{kind}", ok).Methods(http.MethodGet)
		},
	}
	routers := make([]*mux.Router, len(mounts))
	for i, m := range mounts {
		routers[i] = mux.NewRouter()
		m(routers[i])
	}
	narrowed, err := newTable(routers, nil)
	if err != nil {
		t.Fatal(err)
	}
	every := &table{routers: routers, fast: make([]*fastRouter, len(routers)), cands: candidates{always: []int{0, 1, 2, 3, 4}}}
	for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodHead, http.MethodDelete} {
		for _, path := range []string{"/", "/healthz", "/healthz/x", "/debug/pprof/heap", "/debug", "/v1/user",
			"/v1/user/confirm/abc", "/v1", "/abc123", "/urls", "/api", "/apiary", "/api/x", "/account/me",
			"/account", "/info/users/search-login", "/info", "//v1/user", "/.well-known/jwks.json"} {
			r := httptest.NewRequest(method, path, nil)
			gotBest, gotTpl, gotWrong := narrowed.match(r)
			wantBest, wantTpl, wantWrong := every.match(r)
			if gotBest.found() != wantBest.found() || gotTpl != wantTpl || gotWrong != wantWrong ||
				!maps.Equal(gotBest.varsMap(), wantBest.varsMap()) {
				t.Errorf("%s %s: narrowed (%v %q %v %v), every router (%v %q %v %v)", method, path,
					gotBest.found(), gotTpl, gotWrong, gotBest.varsMap(), wantBest.found(), wantTpl, wantWrong, wantBest.varsMap())
			}
		}
	}
	if n := len(narrowed.cands.forPath("/v1/user")); n != 3 {
		t.Errorf("/v1/user tries %d routers, want 3 (its own and the two that take any path)", n)
	}
}
