package account

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTokenOf(t *testing.T) {
	tests := []struct{ header, want string }{
		{"q5Vx0yJz", "q5Vx0yJz"},
		{"Bearer q5Vx0yJz", "q5Vx0yJz"},
		{"bearer  q5Vx0yJz ", "q5Vx0yJz"},
		{"  q5Vx0yJz  ", "q5Vx0yJz"},
		{"Bearer ", "Bearer"},
		{"", ""},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Authorization", tt.header)
		if got := tokenOf(r); got != tt.want {
			t.Errorf("tokenOf(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}

func TestDeviceOf(t *testing.T) {
	const ua = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	tests := []struct {
		name, browser, ua, want string
	}{
		{"browser header", "Firefox 128.0", ua, "Firefox 128.0"},
		{"user agent only", "", "okhttp/4.12.0 extra", "okhttp/4.12.0"},
		{"nothing", "", "", "Unknown device"},
		{"long browser header", strings.Repeat("я", 100), "", strings.Repeat("я", maxDeviceName/2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/account/login", nil)
			r.Header.Set("browser", tt.browser)
			r.Header.Set("User-Agent", tt.ua)
			d := deviceOf(r)
			if d.Name != tt.want || d.UserAgent != tt.ua || d.IP != "192.0.2.1" {
				t.Fatalf("deviceOf = %+v, want name %q", d, tt.want)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	s := "ab" + strings.Repeat("я", 10)
	for n := 0; n <= len(s)+1; n++ {
		got := truncate(s, n)
		if len(got) > n || !utf8.ValidString(got) || !strings.HasPrefix(s, got) || len(got) < n-1 && len(got) < len(s) {
			t.Fatalf("truncate(%q, %d) = %q", s, n, got)
		}
	}
}
