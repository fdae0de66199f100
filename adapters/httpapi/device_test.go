package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"gatehouse/adapters/httpapi"
)

// TestDeviceOf: one browser gets one name whichever frontend asks, and a
// name the client gives wins.
func TestDeviceOf(t *testing.T) {
	const ua = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	r := httptest.NewRequest(http.MethodPost, "/login", nil)
	r.Header.Set("User-Agent", ua)
	if d := httpapi.DeviceOf(r, ""); d.Name != "Firefox on Linux" || d.UserAgent != ua || d.IP != "192.0.2.1" {
		t.Fatalf("DeviceOf = %+v", d)
	}
	if d := httpapi.DeviceOf(r, "Firefox 128.0"); d.Name != "Firefox 128.0" || d.UserAgent != ua {
		t.Fatalf("DeviceOf with the client's name = %+v", d)
	}
}
