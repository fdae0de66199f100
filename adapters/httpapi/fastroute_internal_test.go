package httpapi

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gorilla/mux"
)

// TestFastRouterIsMux matches paths through routers of plain templates
// both ways, by their fastRouter and by mux: the same route, variables and
// method verdict every time.
func TestFastRouterIsMux(t *testing.T) {
	ok := func(http.ResponseWriter, *http.Request) {}
	mounts := map[string]func(r *mux.Router){
		"redirects": func(r *mux.Router) {
			r.HandleFunc("/{alias:[A-Za-z0-9_-]+}", ok).Methods(http.MethodGet)
			r.HandleFunc("/{alias:[A-Za-z0-9_-]+}/qr", ok).Methods(http.MethodGet)
		},
		"prefixed": func(r *mux.Router) {
			s := r.PathPrefix("/s").Subrouter()
			s.HandleFunc("/{alias:[a-z]+}", ok).Methods(http.MethodGet, http.MethodHead)
		},
		"mixed": func(r *mux.Router) {
			r.HandleFunc("/", ok).Methods(http.MethodGet)
			r.HandleFunc("/urls", ok).Methods(http.MethodGet, http.MethodPost)
			r.HandleFunc("/urls/{id}", ok).Methods(http.MethodGet, http.MethodPatch, http.MethodDelete)
			r.HandleFunc("/{any}", ok).Methods(http.MethodPut)
		},
	}
	paths := []string{"/", "/abc", "/ABC-_09", "/a/qr", "/a/qr/", "/a/qrx", "/a/", "//", "//a", "/a b", "/é", "/a.b",
		"/s", "/s/", "/s/abc", "/s/ABC", "/s/abc/", "/urls", "/urls/", "/urls/7", "/urls/7/x", "/-", "/_", "/a%2Fb"}
	methods := []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}
	for name, mount := range mounts {
		r := mux.NewRouter()
		mount(r)
		f := plainRouter(r)
		if f == nil {
			t.Fatalf("%s: not plain", name)
		}
		for _, method := range methods {
			for _, path := range paths {
				req := httptest.NewRequest(method, "http://localhost/", nil)
				req.URL.Path = path
				var want mux.RouteMatch
				matched := r.Match(req, &want) && want.MatchErr == nil
				got, wrong := f.match(req)
				switch {
				case matched != got.found():
					t.Errorf("%s: %s %s: fast matched %v, mux %v", name, method, path, got.found(), matched)
				case matched && (got.route != want.Route || !maps.Equal(got.varsMap(), want.Vars)):
					t.Errorf("%s: %s %s: fast %v %v, mux %v %v", name, method, path, got.route, got.varsMap(), want.Route, want.Vars)
				case matched:
					for k, v := range want.Vars {
						if got.fast.value(path, k) != v {
							t.Errorf("%s: %s %s: variable %s = %q, mux %q", name, method, path, k, got.fast.value(path, k), v)
						}
					}
				case !matched && wrong != (want.MatchErr == mux.ErrMethodMismatch):
					t.Errorf("%s: %s %s: fast wrong method %v, mux %v", name, method, path, wrong, want.MatchErr)
				}
			}
		}
	}
}

// TestFastRouterLeavesOthersToMux: a router with any route beyond plain
// templates and methods is matched by mux.
func TestFastRouterLeavesOthersToMux(t *testing.T) {
	ok := func(http.ResponseWriter, *http.Request) {}
	for name, mount := range map[string]func(r *mux.Router){
		"headers": func(r *mux.Router) { r.HandleFunc("/a", ok).Methods(http.MethodGet).Headers("X-Kind", "x") },
		"function": func(r *mux.Router) {
			r.HandleFunc("/a", ok).Methods(http.MethodGet).MatcherFunc(func(*http.Request, *mux.RouteMatch) bool { return false })
		},
		"no methods":  func(r *mux.Router) { r.HandleFunc("/a", ok) },
		"prefix":      func(r *mux.Router) { r.PathPrefix("/a").HandlerFunc(ok).Methods(http.MethodGet) },
		"half a var":  func(r *mux.Router) { r.HandleFunc("/search-{kind}", ok).Methods(http.MethodGet) },
		"repetition":  func(r *mux.Router) { r.HandleFunc("/{id:[0-9]{3}}", ok).Methods(http.MethodGet) },
		"negation":    func(r *mux.Router) { r.HandleFunc("/{id:[^x]+}", ok).Methods(http.MethodGet) },
		"alternation": func(r *mux.Router) { r.HandleFunc("/{kind:login|id}", ok).Methods(http.MethodGet) },
		"host":        func(r *mux.Router) { r.Host("example.com").Path("/a").HandlerFunc(ok).Methods(http.MethodGet) },
		"queries":     func(r *mux.Router) { r.HandleFunc("/a", ok).Methods(http.MethodGet).Queries("k", "{v}") },
		"one plain, one not": func(r *mux.Router) {
			r.HandleFunc("/a", ok).Methods(http.MethodGet)
			r.HandleFunc("/b", ok).Methods(http.MethodGet).Schemes("https")
		},
	} {
		r := mux.NewRouter()
		mount(r)
		if plainRouter(r) != nil {
			t.Errorf("%s: matched without mux", name)
		}
	}
}
