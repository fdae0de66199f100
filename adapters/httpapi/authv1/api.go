// Package authv1 serves contract 003, the "auth service" API: /status,
// /v1/user (register, profile, addresses, password recovery) and /v1/auth
// (login, service tokens, refresh, publicKey).
//
// It only translates: it decodes the contract's requests, calls the identity
// and session use cases, and encodes the contract's responses. The contract
// documents no error body, so errors use the generic shape of httpapi,
// described in openapi.json (served at /openapi/authv1.json).
package authv1

import (
	"errors"
	"fmt"

	"gatehouse/adapters/httpapi"
	"gatehouse/ports"
)

// Options are what the app tells this frontend.
type Options struct {
	// Version and Commit are reported by GET /status; the app reads them
	// from the build info. Empty means "unknown".
	Version string
	Commit  string
	// Prefix is put before every path, for deployments where another
	// contract owns the same paths; "" mounts them as documented.
	Prefix string
	// Audience is the access-token audience this frontend issues and
	// accepts; "" means the default audience of the session use cases.
	Audience string
	// ServiceAudience is the audience of the token pairs POST /v1/auth/token
	// issues for external services; "" means DefaultServiceAudience. It
	// must differ from Audience, so that a service's token never works on
	// the user API.
	ServiceAudience string
}

// DefaultServiceAudience is the audience of service tokens when
// Options.ServiceAudience is empty.
const DefaultServiceAudience = "gatehouse-service"

// API is the contract 003 frontend; it implements httpapi.Mounter.
type API struct {
	opts     Options
	doc      httpapi.Document // openapi.json with this deployment's paths
	accounts ports.Accounts
	profiles ports.Profiles
	recovery ports.Recovery
	sessions ports.Sessions
	signer   ports.TokenSigner
}

var _ httpapi.Mounter = (*API)(nil)

// New returns the frontend over the identity use cases (accounts, profiles,
// recovery), the session use cases and the token signer (for the public
// key). It refuses a ServiceAudience equal to Audience: service tokens would
// then pass as the user's own.
func New(o Options, accounts ports.Accounts, profiles ports.Profiles, recovery ports.Recovery,
	sessions ports.Sessions, signer ports.TokenSigner) (*API, error) {
	if o.Version == "" {
		o.Version = "unknown"
	}
	if o.Commit == "" {
		o.Commit = "unknown"
	}
	if o.ServiceAudience == "" {
		o.ServiceAudience = DefaultServiceAudience
	}
	switch {
	case accounts == nil || profiles == nil || recovery == nil:
		return nil, errors.New("authv1: accounts, profiles and recovery are required")
	case sessions == nil || signer == nil:
		return nil, errors.New("authv1: sessions and signer are required")
	case o.ServiceAudience == o.Audience:
		return nil, fmt.Errorf("authv1: service audience %q must differ from the user audience", o.ServiceAudience)
	}
	return &API{opts: o, accounts: accounts, profiles: profiles, recovery: recovery, sessions: sessions, signer: signer,
		doc: httpapi.MountDocument(openAPI, httpapi.Under(o.Prefix))}, nil
}
