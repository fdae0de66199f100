package authv1

import (
	"net/http"
	"strings"

	"gatehouse/adapters/httpapi"
	"gatehouse/ports"
)

// maxUserAgent bounds what is stored of a User-Agent header.
const maxUserAgent = 512

// deviceOf describes the device a request comes from. Contract 003 names no
// device, so every sign-in starts a new one.
func deviceOf(r *http.Request) ports.DeviceInfo {
	ua := r.Header.Get("User-Agent")
	if len(ua) > maxUserAgent {
		ua = ua[:maxUserAgent]
	}
	return ports.DeviceInfo{Name: deviceName(ua), UserAgent: ua, IP: httpapi.ClientIP(r)}
}

// deviceName makes a short human name of a User-Agent, such as "Firefox on
// Linux", for a user looking at their sessions. Unknown agents are named by
// their first product token ("okhttp/4.12.0").
func deviceName(ua string) string {
	browser := firstMatch(ua, []string{"Edg/", "Edge", "OPR/", "Opera", "YaBrowser", "Firefox", "Chrome", "Safari"},
		map[string]string{"Edg/": "Edge", "OPR/": "Opera", "YaBrowser": "Yandex Browser"})
	system := firstMatch(ua, []string{"Android", "iPhone", "iPad", "Windows", "Mac OS X", "CrOS", "Linux"},
		map[string]string{"Mac OS X": "macOS", "CrOS": "ChromeOS"})
	switch {
	case browser != "" && system != "":
		return browser + " on " + system
	case browser != "":
		return browser
	case system != "":
		return system
	}
	if product, _, _ := strings.Cut(strings.TrimSpace(ua), " "); product != "" {
		return product
	}
	return "Unknown device"
}

// firstMatch returns the first token found in ua, renamed when names has it.
func firstMatch(ua string, tokens []string, names map[string]string) string {
	for _, t := range tokens {
		if strings.Contains(ua, t) {
			if n, ok := names[t]; ok {
				return n
			}
			return t
		}
	}
	return ""
}
