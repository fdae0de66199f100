// Package vpnapi serves contract 001, a VPN app's API in Laravel style,
// used by a mobile app and a browser extension: POST /api/login (with a
// device), /api/logout, GET /api/user, /api/subscription (for the
// extension), /api/userApp (for the app), POST /api/servers and
// /api/key. Beyond the document, under /api/vpn/: the user's devices
// (list, remove), the subscription link VPN client apps import and what it
// answers, the Outline dynamic access key, and the peer list of a
// WireGuard server for the agent on its host.
//
// It only translates: it decodes the contract's requests, calls the
// identity, session and VPN use cases and encodes Laravel-style answers:
// API resources wrapped in {"data": ...}, snake_case, ISO-8601 times, and
// errors as {"message"} (401 exactly "Unauthenticated."), validation
// errors 422 with {"errors"}. Sessions are opaque bearer tokens.
// openapi.json (served at /openapi/vpnapi.json) documents every answer.
package vpnapi

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"gatehouse/adapters/httpapi"
	"gatehouse/ports"
)

// MinAgentSecret is the shortest agent secret Validate accepts, in bytes.
const MinAgentSecret = 32

// Options are what the app tells this frontend.
type Options struct {
	// Prefix is put before every path, for deployments where another
	// contract owns /api/...; "" mounts them as documented.
	Prefix string
	// PublicURL is the scheme and host clients reach gatehouse at, such as
	// "https://vpn.example.com": subscription links and Outline dynamic
	// keys (ssconf://host/...) are handed out under it. "" uses the Host of
	// the request, which is right only behind no proxy.
	PublicURL string
	// AgentSecret derives each WireGuard server's agent token (see
	// AgentToken); "" turns the agent endpoints off (every call is 401).
	AgentSecret string
}

// Validate reports the first option that cannot work.
func (o Options) Validate() error {
	if o.Prefix != "" && (!strings.HasPrefix(o.Prefix, "/") || strings.HasSuffix(o.Prefix, "/") || strings.ContainsAny(o.Prefix, "{}")) {
		return fmt.Errorf("vpnapi: prefix %q: want \"\" or a path such as /vpn", o.Prefix)
	}
	if o.PublicURL != "" {
		u, err := url.Parse(o.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("vpnapi: public URL %q: want an absolute http(s) URL such as https://vpn.example.com", o.PublicURL)
		}
	}
	if o.AgentSecret != "" && len(o.AgentSecret) < MinAgentSecret {
		return fmt.Errorf("vpnapi: agent secret: want at least %d bytes", MinAgentSecret)
	}
	return nil
}

// API is the contract 001 frontend; it implements httpapi.Mounter and
// httpapi.ErrorOwner.
type API struct {
	opts     Options
	accounts ports.Accounts
	sessions ports.Sessions
	vpn      ports.VPN
	clock    ports.Clock
	doc      httpapi.Document // openapi.json with this deployment's paths
}

var (
	_ httpapi.Mounter    = (*API)(nil)
	_ httpapi.ErrorOwner = (*API)(nil)
)

// New returns the frontend over the identity, session and VPN use cases;
// clock tells how many days a subscription has left. Call o.Validate first.
func New(o Options, accounts ports.Accounts, sessions ports.Sessions, vpn ports.VPN, clock ports.Clock) (*API, error) {
	if accounts == nil || sessions == nil || vpn == nil || clock == nil {
		return nil, errors.New("vpnapi: accounts, sessions, vpn and clock are required")
	}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	o.PublicURL = strings.TrimRight(o.PublicURL, "/")
	return &API{opts: o, accounts: accounts, sessions: sessions, vpn: vpn, clock: clock, doc: documentFor(o.Prefix)}, nil
}
