package shortener_test

import (
	"strings"
	"testing"

	"github.com/gorilla/mux"

	"gatehouse/adapters/httpapi/shortener"
	"gatehouse/core/links"
)

// TestRouteWordsAreReserved: no alias can take the first path segment of a
// route of this frontend, so /{alias} never shadows one nor is shadowed:
// its own words are built in, and a policy reserving the first segments of
// the configured prefixes covers the prefixed routes.
func TestRouteWordsAreReserved(t *testing.T) {
	for _, o := range []shortener.Options{{}, {Prefix: "/links/v2", RedirectPrefix: "/go"}, {Prefix: "/s", RedirectPrefix: "/s"}} {
		p := links.Policy{Reserved: links.FirstSegments(o.Prefix, o.RedirectPrefix)}
		r := mux.NewRouter()
		api := newEnv(t, o).api
		api.Mount(r)
		api.Redirects().Mount(r)
		routes := 0
		err := r.Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
			tpl, err := route.GetPathTemplate()
			if err != nil {
				return nil // a subrouter's own entry has no full path
			}
			routes++
			word, _, _ := strings.Cut(strings.TrimPrefix(tpl, "/"), "/")
			if !strings.HasPrefix(word, "{") && !p.Reserves(word) {
				t.Errorf("options %+v: route %s starts with %q, which an alias could take", o, tpl, word)
			}
			return nil
		})
		if err != nil || routes == 0 {
			t.Fatalf("walking the routes of %+v: %d routes, %v", o, routes, err)
		}
	}
}
