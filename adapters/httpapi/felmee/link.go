package felmee

import (
	"html/template"
	"net/http"
	"strings"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
	"gatehouse/ports"
)

// linkRequest is the JSON body of POST /api/auth/email/login, the API
// client's exchange of a link token.
type linkRequest struct {
	Token string `json:"token"`
}

// landingPage asks the person to confirm the sign-in. Opening the link
// spends nothing, so a mail scanner that follows it does not use it up;
// the button's POST does.
var landingPage = template.Must(template.New("landing").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="referrer" content="no-referrer"><title>Sign in</title></head>
<body><form method="post" action="{{.Action}}">
<input type="hidden" name="token" value="{{.Token}}">
<button type="submit">Sign in</button>
</form></body></html>
`))

// resultPage tells a browser why the link did not sign it in.
var resultPage = template.Must(template.New("result").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>Sign in</title></head>
<body><p>{{.}}</p></body></html>
`))

// linkLanding serves GET /api/auth/email/login?token=...: the page whose
// button signs the browser in.
func (a *API) linkLanding(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; form-action 'self'")
	token := r.URL.Query().Get("token")
	if token == "" {
		w.WriteHeader(http.StatusBadRequest)
		_ = resultPage.Execute(w, "This sign-in link is incomplete; open the link from the email again.")
		return
	}
	_ = landingPage.Execute(w, struct{ Action, Token string }{a.opts.Prefix + LoginLinkPath, token})
}

// linkSignIn serves POST /api/auth/email/login. A form post (the landing
// page's button) signs the browser in with cookies and sends it on to
// AfterLogin; a JSON body {"token"} is an API client's exchange, answered
// with the pair in the envelope.
func (a *API) linkSignIn(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		a.linkForm(w, r)
		return
	}
	var req linkRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		errs.Write(w, r, err)
		return
	}
	if err := httpapi.Require(httpapi.Field{Name: "token", Value: req.Token}); err != nil {
		errs.Write(w, r, err)
		return
	}
	pair, err := a.linkPair(r, req.Token)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	a.signedIn(w, msgSignedIn, pair)
}

// linkForm signs a browser in from the landing page. A post from another
// site is refused, so no page elsewhere can sign a visitor into an account
// of its choosing.
func (a *API) linkForm(w http.ResponseWriter, r *http.Request) {
	page := func(status int, msg string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		_ = resultPage.Execute(w, msg)
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		page(http.StatusForbidden, "This sign-in must be confirmed on this site's own page.")
		return
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("token") == "" {
		page(http.StatusBadRequest, "This sign-in link is incomplete; open the link from the email again.")
		return
	}
	pair, err := a.linkPair(r, r.PostForm.Get("token"))
	if err != nil {
		if statusOf(err) >= http.StatusInternalServerError {
			httpapi.Logger(r.Context()).ErrorContext(r.Context(), "login link sign-in failed", "err", err)
		}
		page(statusOf(err), fault.MessageOf(err))
		return
	}
	a.setTokenCookies(w, pair)
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, a.opts.AfterLogin, http.StatusSeeOther)
}

// linkPair spends a link token and starts a session for its account.
func (a *API) linkPair(r *http.Request, token string) (ports.TokenPair, error) {
	u, err := a.pw.RedeemLoginLink(r.Context(), token, httpapi.ClientIP(r))
	if err != nil {
		return ports.TokenPair{}, err
	}
	return a.sessions.Start(r.Context(), u.ID, a.opts.Audience, httpapi.DeviceOf(r, ""))
}
