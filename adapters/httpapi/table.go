package httpapi

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gorilla/mux"
)

// table dispatches a request to the most specific route among several
// routers, one per frontend.
type table struct {
	routers []*mux.Router
	fast    []*fastRouter // per router: its plain routes, or nil for mux to match
	owners  []owner
	cands   candidates
}

// owner is a frontend's claim on the paths under prefix for its errors.
type owner struct {
	prefix string
	shape  ErrorShape
}

// ownersOf collects the error owners among mounts.
func ownersOf(mounts []Mounter) []owner {
	var out []owner
	for _, m := range mounts {
		if o, ok := m.(ErrorOwner); ok {
			for _, p := range o.PathPrefixes() {
				out = append(out, owner{prefix: p, shape: o.ErrorShape()})
			}
		}
	}
	return out
}

// shapeFor is the error shape of the frontend owning r's path: the
// longest matching prefix, else the generic shape.
func (t *table) shapeFor(r *http.Request) ErrorShape {
	var best owner
	for _, o := range t.owners {
		if strings.HasPrefix(r.URL.Path, o.prefix) && len(o.prefix) > len(best.prefix) {
			best = o
		}
	}
	return best.shape
}

// routeEntry is one route of one router, for conflict checks.
type routeEntry struct {
	router   int
	shape    string
	method   string // "*" when the route matches any method
	template string
}

// newTable checks that every route is well formed and that no two routers
// claim one route and method.
func newTable(routers []*mux.Router, owners []owner) (*table, error) {
	var entries []routeEntry
	for i, r := range routers {
		err := r.Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
			if err := route.GetError(); err != nil {
				return fmt.Errorf("httpapi: route %s: %w", routeTemplate(route), err)
			}
			if route.GetHandler() == nil {
				return nil // a subrouter's parent route
			}
			methods, err := route.GetMethods()
			if err != nil || len(methods) == 0 {
				methods = []string{"*"}
			}
			for _, m := range methods {
				entries = append(entries, routeEntry{router: i, shape: routeShape(route), method: m, template: routeTemplate(route)})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for i, a := range entries {
		for _, b := range entries[i+1:] {
			if a.router != b.router && a.shape == b.shape &&
				(a.method == b.method || a.method == "*" || b.method == "*") {
				return nil, &ConflictError{Route: b.template, Method: b.method}
			}
		}
	}
	fast := make([]*fastRouter, len(routers))
	for i, r := range routers {
		fast[i] = plainRouter(r)
	}
	return &table{routers: routers, fast: fast, owners: owners, cands: newCandidates(routers)}, nil
}

// routeMatch is the route found for a request and its variables: mux's
// map, or for a route the table matched itself (fastRouter) the route and
// the path, from which Var reads a variable without making the map.
type routeMatch struct {
	route   *mux.Route
	handler http.Handler
	vars    map[string]string // mux's; nil for a fast match
	fast    *fastRoute
	path    string
}

func (m routeMatch) found() bool { return m.route != nil }

// varsMap returns the variables as a map, made anew for a fast match.
func (m routeMatch) varsMap() map[string]string {
	if m.fast != nil {
		return m.fast.vars(m.path)
	}
	return m.vars
}

// ServeHTTP implements http.Handler.
func (t *table) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	best, template, wrongMethod := t.match(r)
	switch {
	case best.found():
		// The match already found the handler: serve it with the route's
		// variables (Vars) rather than have the router match again.
		if info := infoFrom(r.Context()); info != nil {
			info.route, info.match = template, best
			best.handler.ServeHTTP(w, r)
			return
		}
		best.handler.ServeHTTP(w, mux.SetURLVars(r, best.varsMap()))
	case wrongMethod:
		w.Header().Set("Allow", strings.Join(t.allowed(r), ", "))
		t.shapeFor(r).Write(w, r, errMethod(r))
	default:
		t.shapeFor(r).Write(w, r, errNoRoute)
	}
}

// match finds the most specific route for r among the routers, and that
// route's template; when none matches it reports whether some route had
// the path but not the method.
//
// A HEAD request no route takes is matched as GET: link checkers and chat
// previews send HEAD, and net/http drops the body of a HEAD answer.
func (t *table) match(r *http.Request) (best routeMatch, template string, wrongMethod bool) {
	best, template, wrongMethod = t.matchMethod(r)
	if !best.found() && r.Method == http.MethodHead {
		get := r.Clone(r.Context())
		get.Method = http.MethodGet
		if b, tpl, _ := t.matchMethod(get); b.found() {
			return b, tpl, false
		}
	}
	return best, template, wrongMethod
}

// matchMethod is match for r's own method.
func (t *table) matchMethod(r *http.Request) (best routeMatch, template string, wrongMethod bool) {
	for _, i := range t.cands.forPath(r.URL.Path) {
		var m routeMatch
		if f := t.fast[i]; f != nil {
			var wrong bool
			if m, wrong = f.match(r); !m.found() {
				wrongMethod = wrongMethod || wrong
				continue
			}
		} else {
			var mm mux.RouteMatch
			if !t.routers[i].Match(r, &mm) || mm.MatchErr != nil || mm.Route == nil {
				wrongMethod = wrongMethod || mm.MatchErr == mux.ErrMethodMismatch
				continue
			}
			m = routeMatch{route: mm.Route, handler: mm.Handler, vars: mm.Vars}
		}
		tpl := routeTemplate(m.route)
		if !best.found() || moreSpecific(tpl, template) {
			best, template = m, tpl
		}
	}
	return best, template, wrongMethod
}

// allowed lists the methods some route serves r's path with, for the Allow
// header of a 405. It runs only on that error path.
func (t *table) allowed(r *http.Request) []string {
	var methods []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodPatch, http.MethodDelete, http.MethodOptions} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if best, _, _ := t.match(probe); best.found() {
			methods = append(methods, m)
		}
	}
	return methods
}

// routeTemplate is the label of a route in logs and metrics: its path
// template, else its name.
func routeTemplate(route *mux.Route) string {
	if tpl, err := route.GetPathTemplate(); err == nil {
		return tpl
	}
	if name := route.GetName(); name != "" {
		return name
	}
	return "unnamed"
}

// routeShape is a route's template with variable names erased, and marked
// when it matches a prefix only: two routes of one shape match the same paths.
func routeShape(route *mux.Route) string {
	segs := strings.Split(routeTemplate(route), "/")
	for i, s := range segs {
		if strings.Contains(s, "{") {
			segs[i] = "{}"
		}
	}
	shape := strings.Join(segs, "/")
	if re, err := route.GetPathRegexp(); err == nil && !strings.HasSuffix(re, "$") {
		shape += "*"
	}
	return shape
}

// moreSpecific reports whether template a should win over b for a path both
// match: at the first segment where they differ in kind the static one wins,
// then the longer one, then the lexically smaller one so the choice never
// depends on mount order.
func moreSpecific(a, b string) bool {
	ka, kb := segmentKinds(a), segmentKinds(b)
	for i := 0; i < len(ka) && i < len(kb); i++ {
		if ka[i] != kb[i] {
			return ka[i] < kb[i]
		}
	}
	if len(ka) != len(kb) {
		return len(ka) > len(kb)
	}
	return a < b
}

// segmentKinds is 0 for each static segment of a template and 1 for each
// segment holding a variable.
func segmentKinds(tpl string) []int {
	segs := strings.Split(strings.Trim(tpl, "/"), "/")
	kinds := make([]int, len(segs))
	for i, s := range segs {
		if strings.Contains(s, "{") {
			kinds[i] = 1
		}
	}
	return kinds
}
