package shortener_test

import (
	"net/http"
	"testing"

	"gatehouse/adapters/httpapi/httpapitest"
	"gatehouse/adapters/httpapi/shortener"
)

// TestRefreshCookieCannotBeRiddenCrossSite: a page on another site cannot
// make a signed-in browser refresh with its cookie; the service's own
// pages and clients that are no browser (no Sec-Fetch-Site, no Origin) can.
func TestRefreshCookieCannotBeRiddenCrossSite(t *testing.T) {
	e := newEnv(t, shortener.Options{})
	_, pair := signUp(t, e, "alice")
	token := pair.RefreshToken

	tests := []struct {
		name   string
		header http.Header
		status int
	}{
		{"evil origin", http.Header{"Origin": {"https://evil.example"}}, http.StatusForbidden},
		{"cross-site fetch", http.Header{"Sec-Fetch-Site": {"cross-site"}}, http.StatusForbidden},
		{"same-site, other origin", http.Header{"Sec-Fetch-Site": {"same-site"}}, http.StatusForbidden},
		{"same origin by Origin", http.Header{"Origin": {"http://example.com"}}, http.StatusOK},
		{"same origin by Sec-Fetch-Site", http.Header{"Sec-Fetch-Site": {"same-origin"}}, http.StatusOK},
		{"typed by the user", http.Header{"Sec-Fetch-Site": {"none"}}, http.StatusOK},
		{"not a browser", http.Header{}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := cookieHeader(token)
			for k, v := range tt.header {
				h[k] = v
			}
			r := e.Call(t, http.MethodPost, "/auth/refresh", nil, h)
			if r.Status != tt.status {
				t.Fatalf("refresh by cookie = %d %s, want %d", r.Status, r.Body, tt.status)
			}
			if r.Status == http.StatusOK {
				var next tokens
				r.JSON(t, &next)
				token = next.RefreshToken
				return
			}
			if got := httpapitest.ErrorOf(t, r).Error.Message; got != "Cross-site requests may not use the session cookie." {
				t.Errorf("message = %q", got)
			}
		})
	}

	// A token in the body is no ambient credential: any origin may send it.
	r := e.Call(t, http.MethodPost, "/auth/refresh", map[string]string{"token": token},
		http.Header{"Origin": {"https://other.example"}})
	if r.Status != http.StatusOK {
		t.Fatalf("refresh by body from another origin = %d %s", r.Status, r.Body)
	}
}
