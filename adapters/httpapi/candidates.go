package httpapi

import (
	"slices"
	"strings"

	"github.com/gorilla/mux"
)

// candidates narrows the routers worth matching a path against by its
// first segment, so a request costs the few routers that can serve it
// rather than one Match per frontend. A router whose routes all begin with
// static first segments is tried only for paths beginning with one of
// them; a router with any other route (a variable first segment, a prefix
// that may end inside the first segment, a route without a path) is tried
// for every path. The choice among the routers tried is unchanged, since
// a router left out could not have matched.
type candidates struct {
	bySegment map[string][]int // first segment -> routers to try, in order
	always    []int            // routers to try for any other first segment
}

// newCandidates indexes routers by the static first segments of their routes.
func newCandidates(routers []*mux.Router) candidates {
	segs := make([]map[string]bool, len(routers)) // nil: try for every path
	for i, r := range routers {
		own := map[string]bool{}
		_ = r.Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
			if own == nil || route.GetHandler() == nil {
				return nil
			}
			seg, ok := staticFirstSegment(route)
			if !ok {
				own = nil
				return nil
			}
			own[seg] = true
			return nil
		})
		segs[i] = own
	}
	c := candidates{bySegment: map[string][]int{}}
	for i, own := range segs {
		if own == nil {
			c.always = append(c.always, i)
		}
	}
	for i, own := range segs {
		for seg := range own {
			if _, ok := c.bySegment[seg]; !ok {
				c.bySegment[seg] = slices.Clone(c.always)
			}
			c.bySegment[seg] = append(c.bySegment[seg], i)
		}
	}
	for seg := range c.bySegment {
		slices.Sort(c.bySegment[seg])
	}
	return c
}

// forPath returns the routers to try for path.
func (c candidates) forPath(path string) []int {
	if rs, ok := c.bySegment[firstSegment(path)]; ok {
		return rs
	}
	return c.always
}

// firstSegment is the part of path between the leading slash and the next.
func firstSegment(path string) string {
	path = strings.TrimPrefix(path, "/")
	if i := strings.IndexByte(path, '/'); i >= 0 {
		return path[:i]
	}
	return path
}

// staticFirstSegment is the first segment every path route matches must
// begin with, when the route's template pins it down: static, and for a
// prefix route ended by a slash.
func staticFirstSegment(route *mux.Route) (string, bool) {
	tpl, err := route.GetPathTemplate()
	if err != nil || !strings.HasPrefix(tpl, "/") {
		return "", false
	}
	rest := tpl[1:]
	i := strings.IndexByte(rest, '/')
	seg := rest
	if i >= 0 {
		seg = rest[:i]
	}
	if strings.ContainsAny(seg, "{}") {
		return "", false
	}
	re, err := route.GetPathRegexp()
	if err != nil {
		return "", false
	}
	if prefix := !strings.HasSuffix(re, "$"); prefix && i < 0 {
		return "", false // PathPrefix("/api") also takes /apiary
	}
	return seg, true
}
