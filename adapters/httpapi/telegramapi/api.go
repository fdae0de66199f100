// Package telegramapi is gatehouse's own small JSON API for linking a
// Telegram account: a signed-in user asks for a t.me link that opens the
// bot with a single-use token, looks at the link, and removes it. Its
// OpenAPI document is served at /openapi/telegram.json. Errors are the
// generic body {"error":{code, reason, message, fields}}.
package telegramapi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
	"gatehouse/ports"
)

// Options are what the app tells this frontend.
type Options struct {
	// Prefix is put before every path; "" mounts /telegram/link at the root.
	Prefix string
	// LinkURL makes the deep link of a token (the bot's t.me link); required.
	LinkURL func(token string) string
	// Audience of the access tokens accepted; "" is the default.
	Audience string
}

// API is the Telegram link frontend; it implements httpapi.Mounter and
// httpapi.ErrorOwner.
type API struct {
	o        Options
	links    ports.TelegramLinks
	sessions ports.Sessions
	doc      httpapi.Document
}

var (
	_ httpapi.Mounter    = (*API)(nil)
	_ httpapi.ErrorOwner = (*API)(nil)
)

// New returns the frontend over the Telegram and session use cases.
func New(o Options, links ports.TelegramLinks, sessions ports.Sessions) (*API, error) {
	if p := o.Prefix; p != "" && (!strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/")) {
		return nil, fmt.Errorf("telegramapi: prefix %q: want \"\" or a path such as /native", p)
	}
	if o.LinkURL == nil || links == nil || sessions == nil {
		return nil, errors.New("telegramapi: LinkURL, the Telegram use cases and sessions are required")
	}
	return &API{o: o, links: links, sessions: sessions, doc: documentFor(o.Prefix)}, nil
}

// errs is the generic error shape.
var errs = httpapi.ErrorShape{}

// ErrorShape implements httpapi.ErrorOwner.
func (a *API) ErrorShape() httpapi.ErrorShape { return errs }

// PathPrefixes implements httpapi.ErrorOwner.
func (a *API) PathPrefixes() []string { return []string{a.o.Prefix + "/telegram/"} }

// linkAnswer is the answer of POST /telegram/link.
type linkAnswer struct {
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expires_at"`
}

// user is the account of the caller's access token (Authorization: Bearer).
func (a *API) user(r *http.Request) (string, error) {
	token, ok := httpapi.BearerToken(r)
	if !ok {
		return "", fault.New(fault.Unauthenticated, "sessions.token_missing", "An access token is required (Authorization: Bearer).")
	}
	c, err := a.sessions.Verify(r.Context(), token, a.o.Audience)
	if err != nil {
		return "", err
	}
	return c.Subject, nil
}
