// Package felmee serves contract 000, the "Felmee" internal auth API:
// sign-in by a code sent to a phone, a login link mailed to an address,
// binding an email by code, and refreshing the token pair by the RT header
// or cookie. Every answer, errors included, is the document's envelope
// {"success", "message", "codeError", "data"}.
//
// It only translates: it decodes the contract's requests, calls the
// passwordless and session use cases, and encodes the contract's answers.
// openapi.json (served at /openapi/felmee.json) documents the contract's
// operations and ours beside them: the landing and exchange of the login
// link. The document's files section names no operations, so none is served.
package felmee

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
	// Prefix is put before every path; "" mounts /api/auth/... at the root.
	Prefix string
	// AccessCookie and RefreshCookie name the token cookies ("JWT", "RT").
	AccessCookie  string
	RefreshCookie string
	// SameSite of both cookies: http.SameSiteStrictMode (default) or Lax.
	SameSite http.SameSite
	// InsecureCookies drops the Secure flag, for plain-http development.
	// Never set it in production.
	InsecureCookies bool
	// AccessTTL and RefreshTTL are the cookies' Max-Age and must match the
	// session policy; zero means the sessions defaults.
	AccessTTL  time.Duration
	RefreshTTL time.Duration
	// AfterLogin is where a browser signed in by a login link is sent: a
	// path of this site or an absolute http(s) URL; "" means "/".
	AfterLogin string
	// Audience of the tokens this frontend issues and accepts; "" is the default.
	Audience string
	// Telegram, when set, serves our sign-in with Telegram login data
	// beside the contract (POST /api/auth/telegram/login and
	// /api/auth/telegram/webapp); nil leaves them out.
	Telegram ports.TelegramSignIn
}

// Validate reports the first option that cannot work.
func (o Options) Validate() error {
	if p := o.Prefix; p != "" && (!strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") || strings.ContainsAny(p, "{}")) {
		return fmt.Errorf("felmee: prefix %q: want \"\" or a path such as /felmee", p)
	}
	for _, c := range []string{o.AccessCookie, o.RefreshCookie} {
		if c != "" && !validCookieName(c) {
			return fmt.Errorf("felmee: cookie name %q: want letters, digits, - or _", c)
		}
	}
	if o.AccessCookie != "" && o.AccessCookie == o.RefreshCookie {
		return fmt.Errorf("felmee: the access and refresh cookies are both named %q", o.AccessCookie)
	}
	switch o.SameSite {
	case 0, http.SameSiteStrictMode, http.SameSiteLaxMode:
	default:
		return fmt.Errorf("felmee: SameSite %d: want strict or lax", o.SameSite)
	}
	if o.AfterLogin != "" && !strings.HasPrefix(o.AfterLogin, "/") {
		u, err := url.Parse(o.AfterLogin)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("felmee: after-login URL %q: want a path or an absolute http(s) URL", o.AfterLogin)
		}
	}
	return nil
}

func validCookieName(s string) bool {
	for _, r := range s {
		if !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return s != ""
}

func (o Options) withDefaults() Options {
	if o.AccessCookie == "" {
		o.AccessCookie = "JWT"
	}
	if o.RefreshCookie == "" {
		o.RefreshCookie = "RT"
	}
	if o.SameSite != http.SameSiteLaxMode {
		o.SameSite = http.SameSiteStrictMode
	}
	if o.AccessTTL <= 0 {
		o.AccessTTL = sessions.DefaultAccessTTL
	}
	if o.RefreshTTL <= 0 {
		o.RefreshTTL = sessions.DefaultRefreshTTL
	}
	if o.AfterLogin == "" {
		o.AfterLogin = "/"
	}
	return o
}

// API is the contract 000 frontend; it implements httpapi.Mounter and
// httpapi.ErrorOwner.
type API struct {
	opts     Options
	pw       ports.Passwordless
	sessions ports.Sessions
	doc      httpapi.Document
}

var (
	_ httpapi.Mounter    = (*API)(nil)
	_ httpapi.ErrorOwner = (*API)(nil)
)

// New returns the frontend over the passwordless and session use cases.
// Call o.Validate first.
func New(o Options, pw ports.Passwordless, sessions ports.Sessions) (*API, error) {
	if pw == nil || sessions == nil {
		return nil, errors.New("felmee: passwordless and sessions are required")
	}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	o = o.withDefaults()
	return &API{opts: o, pw: pw, sessions: sessions, doc: documentFor(o.Prefix)}, nil
}

// LoginLinkPath is where this frontend lands mailed login links, below its
// prefix; the app points the links here unless the product's web front
// takes them.
const LoginLinkPath = "/api/auth/email/login"
