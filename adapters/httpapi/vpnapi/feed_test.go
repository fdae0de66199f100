package vpnapi_test

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// feedLines fetches a subscription link and returns its key lines,
// checking the userinfo header.
func feedLines(tb testing.TB, e *env, path string) []string {
	tb.Helper()
	r := e.Call(tb, http.MethodGet, path, nil, nil)
	if r.Status != http.StatusOK {
		tb.Fatalf("feed = %d %s", r.Status, r.Body)
	}
	info := r.Header.Get("Subscription-Userinfo")
	if !strings.HasPrefix(info, "upload=0; download=0; total=0; expire=") || strings.HasSuffix(info, "expire=0") {
		tb.Fatalf("subscription-userinfo = %q", info)
	}
	raw, err := base64.StdEncoding.DecodeString(string(r.Body))
	if err != nil {
		tb.Fatalf("feed body is not base64: %v", err)
	}
	return strings.Split(string(raw), "\n")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
