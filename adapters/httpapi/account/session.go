package account

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// Bounds of what is stored of the device headers.
const (
	maxDeviceName = 128
	maxUserAgent  = 512
)

// tokenOf returns the opaque token of the Authorization header: bare, as
// the document sends it, or after "Bearer " (any case), as most HTTP
// clients do.
func tokenOf(r *http.Request) string {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if scheme, rest, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") {
		return strings.TrimSpace(rest)
	}
	return h
}

// authenticate checks the request's opaque token and returns it with the
// session it stands for. A missing token is fault.Unauthenticated, which
// this contract answers with 403.
func (a *API) authenticate(r *http.Request) (string, sessions.Claims, error) {
	token := tokenOf(r)
	if token == "" {
		return "", sessions.Claims{}, fault.New(fault.Unauthenticated, "account.token_missing",
			"Authorization header with a token is required.")
	}
	claims, err := a.sessions.VerifyOpaque(r.Context(), token)
	if err != nil {
		return "", sessions.Claims{}, err
	}
	return token, claims, nil
}

// deviceOf describes the device a sign-in comes from: the contract's
// `browser` header ("{browserName} {browserVersion}") names it, and the
// User-Agent is kept beside it. Without a browser header the User-Agent's
// first product token names it.
func deviceOf(r *http.Request) ports.DeviceInfo {
	ua := truncate(strings.TrimSpace(r.Header.Get("User-Agent")), maxUserAgent)
	name := strings.TrimSpace(r.Header.Get("browser"))
	if name == "" {
		name, _, _ = strings.Cut(ua, " ")
	}
	if name == "" {
		name = "Unknown device"
	}
	return ports.DeviceInfo{Name: truncate(name, maxDeviceName), UserAgent: ua, IP: httpapi.ClientIP(r)}
}

// truncate cuts s to at most n bytes without splitting a UTF-8 character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
