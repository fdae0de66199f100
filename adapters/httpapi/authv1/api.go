// Package authv1 serves contract 003, the "auth service" API: /status,
// /v1/user (register, profile) and /v1/auth (login, refresh, publicKey).
//
// It only translates: it decodes the contract's requests, calls the identity
// and session use cases, and encodes the contract's responses. The contract
// documents no error body, so errors use the generic shape of httpapi,
// described in openapi.json (served at /openapi/authv1.json).
package authv1

import (
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
}

// API is the contract 003 frontend; it implements httpapi.Mounter.
type API struct {
	opts     Options
	accounts ports.Accounts
	sessions ports.Sessions
	signer   ports.TokenSigner
}

var _ httpapi.Mounter = (*API)(nil)

// New returns the frontend over the identity and session use cases and the
// token signer (for the public key).
func New(o Options, accounts ports.Accounts, sessions ports.Sessions, signer ports.TokenSigner) *API {
	if o.Version == "" {
		o.Version = "unknown"
	}
	if o.Commit == "" {
		o.Commit = "unknown"
	}
	return &API{opts: o, accounts: accounts, sessions: sessions, signer: signer}
}
