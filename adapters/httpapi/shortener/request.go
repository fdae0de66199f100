package shortener

import (
	"net/http"
	"strings"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// maxUserAgent bounds what is stored of a User-Agent header.
const maxUserAgent = 512

// decodeOptional reads a JSON body that may be absent (logout, and refresh
// by cookie): an empty body leaves dst as it is.
func decodeOptional(r *http.Request, dst any) error {
	if r.ContentLength == 0 {
		return nil
	}
	err := httpapi.DecodeJSON(r, dst)
	if fault.ReasonOf(err) == httpapi.ReasonEmptyBody {
		return nil
	}
	return err
}

// authenticate checks the request's bearer access token. When it fails it
// answers 401 itself, with a bearer challenge (RFC 6750), and reports false.
func (a *API) authenticate(w http.ResponseWriter, r *http.Request) (sessions.Claims, bool) {
	token, ok := httpapi.BearerToken(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="gatehouse"`)
		fail(w, r, fault.New(fault.Unauthenticated, "shortener.token_missing",
			"An access token is required: Authorization: Bearer <access_token>."))
		return sessions.Claims{}, false
	}
	claims, err := a.sessions.Verify(r.Context(), token, a.opts.Audience)
	if err != nil {
		if fault.Is(err, fault.Unauthenticated) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="gatehouse", error="invalid_token"`)
		}
		fail(w, r, err)
		return sessions.Claims{}, false
	}
	return claims, true
}

// deviceOf describes the device a request comes from. The contract names no
// device, so every sign-in starts a new one, named by the first product
// token of its User-Agent ("Mozilla/5.0", "okhttp/4.12.0").
func deviceOf(r *http.Request) ports.DeviceInfo {
	ua := r.Header.Get("User-Agent")
	if len(ua) > maxUserAgent {
		ua = strings.ToValidUTF8(ua[:maxUserAgent], "")
	}
	name, _, _ := strings.Cut(strings.TrimSpace(ua), " ")
	if name == "" {
		name = "Unknown device"
	}
	return ports.DeviceInfo{Name: name, UserAgent: ua, IP: httpapi.ClientIP(r)}
}
