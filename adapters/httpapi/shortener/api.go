// Package shortener serves contract 002, a URL shortener with accounts:
// /auth (register, login, refresh, logout), /users/me, /urls and the
// redirect GET /{alias} with its QR code GET /{alias}/qr.
//
// It only translates: it decodes the contract's requests, calls the
// identity, session and link use cases, and encodes the contract's
// responses. The contract names no paths and no error body; both are ours
// and openapi.json (served at /openapi/shortener.json) documents them.
package shortener

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// Options are what the app tells this frontend.
type Options struct {
	// Prefix is put before the /auth, /users, /urls and /openapi paths, for
	// deployments where another contract owns them; "" mounts them at the root.
	Prefix string
	// RedirectPrefix is put before the redirect paths: "" serves GET /{alias}
	// at the root, "/r" serves GET /r/{alias}.
	RedirectPrefix string
	// RedirectStatus is the status of a redirect: 301, 302, 307 or 308;
	// 0 means 302. Validate refuses anything else.
	RedirectStatus int
	// PublicURL is the scheme and host short links are handed out under,
	// such as "https://sho.rt"; the QR code encodes PublicURL +
	// RedirectPrefix + "/" + alias. "" uses the scheme and Host of the
	// request, which is right only behind no proxy.
	PublicURL string
	// InsecureCookies drops the Secure flag of the refresh-token cookie, so
	// it works over plain http in development. Never set it in production.
	InsecureCookies bool
	// RefreshTTL is the Max-Age of the refresh-token cookie and must match
	// the session policy's refresh lifetime; 0 means sessions.DefaultRefreshTTL.
	RefreshTTL time.Duration
	// Audience is the access-token audience this frontend issues and
	// accepts; "" means the default audience of the session use cases.
	Audience string
}

// Validate reports the first option that cannot work, so the app can refuse
// to start with it.
func (o Options) Validate() error {
	switch o.RedirectStatus {
	case 0, http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
	default:
		return fmt.Errorf("shortener: redirect status %d: want 301, 302, 307 or 308", o.RedirectStatus)
	}
	for name, p := range map[string]string{"prefix": o.Prefix, "redirect prefix": o.RedirectPrefix} {
		if p != "" && (!strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") || strings.ContainsAny(p, "{}")) {
			return fmt.Errorf("shortener: %s %q: want \"\" or a path such as /r", name, p)
		}
	}
	if o.PublicURL != "" {
		u, err := url.Parse(o.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("shortener: public URL %q: want an absolute http(s) URL such as https://sho.rt", o.PublicURL)
		}
	}
	if o.RefreshTTL < 0 {
		return fmt.Errorf("shortener: refresh TTL %s is negative", o.RefreshTTL)
	}
	return nil
}

// withDefaults returns o with zero values replaced by their defaults and
// anything Validate refuses replaced by the default too, so a frontend built
// without validation still answers sensibly.
func (o Options) withDefaults() Options {
	switch o.RedirectStatus {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
	default:
		o.RedirectStatus = http.StatusFound
	}
	if o.RefreshTTL <= 0 {
		o.RefreshTTL = sessions.DefaultRefreshTTL
	}
	o.PublicURL = strings.TrimRight(o.PublicURL, "/")
	return o
}

// API is the contract 002 frontend; it implements httpapi.Mounter.
type API struct {
	opts     Options
	accounts ports.Accounts
	profiles ports.Profiles
	sessions ports.Sessions
	links    ports.Links
	doc      httpapi.Document // openapi.json with this deployment's paths
}

var _ httpapi.Mounter = (*API)(nil)

// New returns the frontend over the identity, session and link use cases.
// Call o.Validate first: New replaces options it would refuse by defaults.
func New(o Options, accounts ports.Accounts, profiles ports.Profiles, sessions ports.Sessions, links ports.Links) (*API, error) {
	if accounts == nil || profiles == nil || sessions == nil || links == nil {
		return nil, errors.New("shortener: accounts, profiles, sessions and links are required")
	}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	o = o.withDefaults()
	return &API{
		opts: o, accounts: accounts, profiles: profiles, sessions: sessions, links: links,
		doc: documentFor(o),
	}, nil
}
