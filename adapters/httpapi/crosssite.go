package httpapi

import (
	"fmt"
	"net/http"

	"gatehouse/core/fault"
)

// ReasonCrossSite is the fault reason of a cookie-carrying state-changing
// request that a browser sent from another site.
const ReasonCrossSite = "http.cross_site"

// newCrossOrigin returns the cross-origin check of every request that uses
// a credential cookie: net/http's CrossOriginProtection, which judges by
// Sec-Fetch-Site, else by Origin against the request's own host, and lets
// requests with neither through (they come from non-browser clients, which
// hold no victim's cookies).
func newCrossOrigin(trusted []string) (*http.CrossOriginProtection, error) {
	c := http.NewCrossOriginProtection()
	for _, o := range trusted {
		if err := c.AddTrustedOrigin(o); err != nil {
			return nil, fmt.Errorf("httpapi: trusted origin %q: %w", o, err)
		}
	}
	return c, nil
}

// CredentialCookie returns the value of the cookie name when the request
// may use it as a credential, "" when it carries no such cookie. A
// state-changing request (not GET, HEAD or OPTIONS) that a browser sent
// from another site, neither the service's own origin nor a trusted one,
// is fault.Forbidden http.cross_site: a page elsewhere must not ride a
// signed-in browser's cookies. Every frontend that reads a session or
// refresh cookie reads it here.
func CredentialCookie(r *http.Request, name string) (string, error) {
	c, err := r.Cookie(name)
	if err != nil || c.Value == "" {
		return "", nil
	}
	if info := infoFrom(r.Context()); info != nil && info.crossOrigin != nil {
		if err := info.crossOrigin.Check(r); err != nil {
			return "", fault.Wrap(err, fault.Forbidden, ReasonCrossSite,
				"Cross-site requests may not use the session cookie.")
		}
	}
	return c.Value, nil
}
