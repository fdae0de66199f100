package sessions

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mileusna/useragent"
)

// Bounds of what a device record keeps of what a client says about itself.
const (
	MaxDeviceName = 100 // characters
	MaxUserAgent  = 512 // bytes
)

// unknownDevice names a device that said nothing about itself.
const unknownDevice = "Unknown device"

// DescribeDevice turns what a client says about itself into the name a
// person sees in their list of sessions and the user agent kept beside it.
// A name the client gives (a header some contracts have, a form field)
// wins; otherwise the user agent is read: "Firefox on Windows", "Safari on
// iPhone", or its first product token for agents that are no browser
// ("okhttp/4.12.0"). Both are cleaned of control and format characters and
// cut at MaxDeviceName characters and MaxUserAgent bytes without splitting
// a character, so every frontend names the same browser the same way.
func DescribeDevice(userAgent, clientName string) (name, ua string) {
	ua = truncateBytes(clean(userAgent), MaxUserAgent)
	name = clean(clientName)
	if name == "" {
		name = nameFromAgent(ua)
	}
	if name == "" {
		name = unknownDevice
	}
	return truncateRunes(name, MaxDeviceName), ua
}

// nameFromAgent reads a user agent into "browser on system".
func nameFromAgent(ua string) string {
	if ua == "" {
		return ""
	}
	a := useragent.Parse(ua)
	system := a.OS
	switch {
	case a.Device == "iPhone" || a.Device == "iPad":
		system = a.Device
	case system == "macOS", system == "Mac OS X":
		system = "macOS"
	}
	switch {
	case a.Bot || a.Name == "" || strings.HasPrefix(ua, a.Name+"/") && system == "":
		product, _, _ := strings.Cut(ua, " ")
		return product
	case system != "":
		return a.Name + " on " + system
	default:
		return a.Name
	}
}

// clean drops control and format characters (bidi overrides, zero-width
// spaces) and folds runs of white space into one space.
func clean(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == utf8.RuneError, unicode.Is(unicode.Cf, r):
			continue
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// truncateBytes cuts s to at most n bytes without splitting a character.
func truncateBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// truncateRunes cuts s to at most n characters.
func truncateRunes(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}
