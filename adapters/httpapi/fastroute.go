package httpapi

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gorilla/mux"
)

// fastRouter matches the routes of one router whose paths are plain
// templates, without mux's regular expressions: a redirect's match through
// mux (two regular-expression runs, a match and a map per request) was a
// twentieth of the redirect path. A route is plain when each segment of
// its template is a literal or one whole variable, {name} or
// {name:[class]+}, and it has methods and nothing else to match. Whether a
// router's routes are all plain is checked against mux itself when the
// table is built (plainRouter); any other router is matched by mux.
type fastRouter struct {
	routes []fastRoute
}

type fastRoute struct {
	route   *mux.Route
	handler http.Handler
	segs    []fastSeg
	methods []string
}

// fastSeg is one segment of a template: a literal, or a variable whose
// value is one or more bytes of its class (any but '/' when class is nil).
type fastSeg struct {
	lit   string
	name  string
	class *[256]bool
}

// match finds r's route among f's as mux would: the first route with r's
// path and method; when none has both, whether some route had the path.
func (f *fastRouter) match(r *http.Request) (m routeMatch, wrongMethod bool) {
	path := r.URL.Path
	if !strings.HasPrefix(path, "/") {
		return routeMatch{}, false
	}
	for i := range f.routes {
		rt := &f.routes[i]
		if !rt.matches(path[1:]) {
			continue
		}
		for _, method := range rt.methods {
			if method == r.Method {
				return routeMatch{route: rt.route, handler: rt.handler, fast: rt, path: path}, false
			}
		}
		wrongMethod = true
	}
	return routeMatch{}, wrongMethod
}

// matches reports whether rest, a path without its leading slash, has the
// template's segments.
func (rt *fastRoute) matches(rest string) bool {
	for i, s := range rt.segs {
		seg, after, found := strings.Cut(rest, "/")
		if found == (i == len(rt.segs)-1) { // a slash after the last segment, or none before the next
			return false
		}
		if !s.takes(seg) {
			return false
		}
		rest = after
	}
	return true
}

func (s fastSeg) takes(seg string) bool {
	if s.name == "" {
		return seg == s.lit
	}
	if seg == "" {
		return false
	}
	if s.class == nil {
		return true // the split left no '/'
	}
	for i := 0; i < len(seg); i++ {
		if !s.class[seg[i]] {
			return false
		}
	}
	return true
}

// vars are the route's variables in path, which matches.
func (rt *fastRoute) vars(path string) map[string]string {
	vars := make(map[string]string, len(rt.segs))
	rest := path[1:]
	for _, s := range rt.segs {
		seg, after, _ := strings.Cut(rest, "/")
		if s.name != "" {
			vars[s.name] = seg
		}
		rest = after
	}
	return vars
}

// value is the variable name in path, which matches, or "".
func (rt *fastRoute) value(path, name string) string {
	rest := path[1:]
	for _, s := range rt.segs {
		seg, after, _ := strings.Cut(rest, "/")
		if s.name == name {
			return seg
		}
		rest = after
	}
	return ""
}

// plainRouter returns a fastRouter for r when every route of r is plain
// and mux agrees with it on a request for each route and method; else nil.
func plainRouter(r *mux.Router) *fastRouter {
	f := &fastRouter{}
	plain := true
	_ = r.Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		if route.GetHandler() == nil {
			return nil // a subrouter's prefix: its routes' templates carry it
		}
		rt, ok := plainRoute(route)
		if !ok {
			plain = false
			return nil
		}
		f.routes = append(f.routes, rt)
		return nil
	})
	if !plain || len(f.routes) == 0 || !f.agrees(r) {
		return nil
	}
	return f
}

// plainRoute reads route's template and methods, if it is plain.
func plainRoute(route *mux.Route) (fastRoute, bool) {
	tpl, err := route.GetPathTemplate()
	if err != nil || !strings.HasPrefix(tpl, "/") {
		return fastRoute{}, false
	}
	if re, err := route.GetPathRegexp(); err != nil || !strings.HasSuffix(re, "$") {
		return fastRoute{}, false // a prefix
	}
	if _, err := route.GetHostTemplate(); err == nil {
		return fastRoute{}, false
	}
	if q, err := route.GetQueriesTemplates(); err == nil && len(q) > 0 {
		return fastRoute{}, false
	}
	methods, err := route.GetMethods()
	if err != nil || len(methods) == 0 {
		return fastRoute{}, false
	}
	rt := fastRoute{route: route, handler: route.GetHandler(), methods: methods}
	for _, seg := range strings.Split(tpl[1:], "/") {
		s, ok := plainSeg(seg)
		if !ok {
			return fastRoute{}, false
		}
		rt.segs = append(rt.segs, s)
	}
	return rt, true
}

// plainSeg reads one template segment: a literal, {name} or {name:[class]+}.
func plainSeg(seg string) (fastSeg, bool) {
	if !strings.ContainsAny(seg, "{}") {
		return fastSeg{lit: seg}, true
	}
	inner, ok := strings.CutPrefix(seg, "{")
	if inner, ok = strings.CutSuffix(inner, "}"); !ok || strings.ContainsAny(inner, "{}") {
		return fastSeg{}, false
	}
	name, pattern, hasPattern := strings.Cut(inner, ":")
	if name == "" {
		return fastSeg{}, false
	}
	if !hasPattern {
		return fastSeg{name: name}, true
	}
	class, ok := charClass(pattern)
	return fastSeg{name: name, class: class}, ok
}

// charClass reads "[...]+" of letters, digits and '_', with ranges a-b and
// a literal '-' first or last.
func charClass(pattern string) (*[256]bool, bool) {
	body, ok := strings.CutPrefix(pattern, "[")
	if body, ok = strings.CutSuffix(body, "]+"); !ok || body == "" {
		return nil, false
	}
	var class [256]bool
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == '-' && (i == 0 || i == len(body)-1):
			class['-'] = true
		case i+2 < len(body) && body[i+1] == '-' && classChar(c) && classChar(body[i+2]) && c <= body[i+2]:
			for x := int(c); x <= int(body[i+2]); x++ {
				class[x] = true
			}
			i += 2
		case classChar(c):
			class[c] = true
		default:
			return nil, false
		}
	}
	class['/'] = false
	return &class, true
}

func classChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

// agrees asks mux to match a request made for each route and method of f
// and a request no route takes: f must find the same route and variables.
// A route with a matcher f does not see (headers, a scheme, a function)
// fails to match there, and r is left to mux.
func (f *fastRouter) agrees(r *mux.Router) bool {
	for _, rt := range f.routes {
		path := ""
		for _, s := range rt.segs {
			sample := s.lit
			if s.name != "" {
				sample = "x"
				if s.class != nil {
					sample = string(firstOf(s.class))
				}
			}
			path += "/" + sample
		}
		for _, method := range slices.Concat(rt.methods, []string{"UNLISTED"}) {
			req := &http.Request{Method: method, URL: &url.URL{Path: path}, Header: http.Header{}, Host: "localhost"}
			var want mux.RouteMatch
			ok := r.Match(req, &want) && want.MatchErr == nil
			got, wrong := f.match(req)
			switch {
			case ok != got.found():
				return false
			case ok && (got.route != want.Route || !maps.Equal(got.varsMap(), want.Vars)):
				return false
			case !ok && wrong != (want.MatchErr == mux.ErrMethodMismatch):
				return false
			}
		}
	}
	return true
}

// firstOf is the first byte class takes.
func firstOf(class *[256]bool) byte {
	for c := range 256 {
		if class[c] {
			return byte(c)
		}
	}
	return 0
}
