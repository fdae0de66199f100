// Package account serves contract 004, the "account service" API:
// /account/registration, /account/login, /account/login/check, /account/me,
// /account/edit/info, /info/users/ and /info/users/search-<login|id>.
//
// It only translates: it decodes the contract's requests, applies the
// contract's own field rules (stricter than gatehouse's, see validate.go),
// calls the identity and session use cases and encodes the contract's
// responses. Sessions are opaque tokens carried bare in the Authorization
// header. Errors are {"errorMessage": "..."}; openapi.json (served at
// /openapi/account.json) documents every status.
package account

import (
	"errors"
	"fmt"
	"gatehouse/adapters/httpapi"
	"gatehouse/core/identity"
	"gatehouse/ports"
	"strings"
)

// Options are what the app tells this frontend.
type Options struct {
	// Prefix is put before every path, for deployments where another
	// contract owns the same paths; "" mounts them as documented.
	Prefix string
}

// API is the contract 004 frontend; it implements httpapi.Mounter.
type API struct {
	opts     Options
	doc      httpapi.Document // openapi.json with this deployment's paths
	accounts ports.Accounts
	profiles ports.Profiles
	sessions ports.Sessions
}

var _ httpapi.Mounter = (*API)(nil)

// New returns the frontend over the identity use cases (sign-up, sign-in,
// profiles and look-ups) and the session use cases (opaque tokens).
func New(o Options, accounts ports.Accounts, profiles ports.Profiles, sessions ports.Sessions) (*API, error) {
	switch {
	case accounts == nil || profiles == nil || sessions == nil:
		return nil, errors.New("account: accounts, profiles and sessions are required")
	case o.Prefix != "" && (!strings.HasPrefix(o.Prefix, "/") || strings.HasSuffix(o.Prefix, "/")):
		return nil, fmt.Errorf("account: prefix %q: want empty or a path like /v1", o.Prefix)
	}
	return &API{opts: o, accounts: accounts, profiles: profiles, sessions: sessions,
		doc: httpapi.MountDocument(openAPI, httpapi.Under(o.Prefix))}, nil
}

// source marks accounts created through this contract.
const source = "account"

// locale is what accounts created here are written to in: the contract's
// name rules admit Cyrillic names only, so its users read Russian.
const locale = identity.LocaleRU
