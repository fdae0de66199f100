package sessions_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"gatehouse/core/sessions"
)

func TestDescribeDevice(t *testing.T) {
	const (
		firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0"
		iphone  = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
		chrome  = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
		macEdge = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0"
	)
	tests := []struct {
		name, ua, client, want string
	}{
		{"firefox", firefox, "", "Firefox on Windows"},
		{"safari on an iphone", iphone, "", "Safari on iPhone"},
		{"chrome", chrome, "", "Chrome on Linux"},
		{"edge on a mac", macEdge, "", "Edge on macOS"},
		{"an http library", "okhttp/4.12.0", "", "okhttp/4.12.0"},
		{"curl", "curl/8.4.0", "", "curl/8.4.0"},
		{"nothing", "", "", "Unknown device"},
		{"the client's name wins", firefox, "Firefox 120", "Firefox 120"},
		{"the client's name cleaned", "", "  My\u202e\u200b  phone\n", "My phone"},
		{"a name of controls only", firefox, "\u202e\u200b", "Firefox on Windows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := sessions.DescribeDevice(tt.ua, tt.client); got != tt.want {
				t.Fatalf("DescribeDevice(%q, %q) = %q, want %q", tt.ua, tt.client, got, tt.want)
			}
		})
	}
}

// TestDescribeDeviceBounds: long names and agents are cut at their bounds
// without splitting a UTF-8 character.
func TestDescribeDeviceBounds(t *testing.T) {
	name, ua := sessions.DescribeDevice(strings.Repeat("Ж", sessions.MaxUserAgent), strings.Repeat("ё", 300))
	if utf8.RuneCountInString(name) != sessions.MaxDeviceName || !utf8.ValidString(name) {
		t.Errorf("name of %d characters, valid %t; want %d", utf8.RuneCountInString(name), utf8.ValidString(name), sessions.MaxDeviceName)
	}
	if len(ua) > sessions.MaxUserAgent || len(ua) < sessions.MaxUserAgent-1 || !utf8.ValidString(ua) {
		t.Errorf("user agent of %d bytes, valid %t; want at most %d", len(ua), utf8.ValidString(ua), sessions.MaxUserAgent)
	}
}
