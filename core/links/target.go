package links

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// MaxTargetBytes bounds a target URL, before and after normalisation: the
// length browsers and proxies reliably handle.
const MaxTargetBytes = 2048

// defaultPorts are the ports a normalised target leaves out.
var defaultPorts = map[string]string{"http": "80", "https": "443"}

// NormalizeTarget checks a target URL and returns its stored form.
//
// A target is an absolute http or https URL of at most MaxTargetBytes, with
// a host, without a user name or password (they leak into logs and enable
// "https://bank.com@evil.example" deception), and not on one of p's own
// hosts (a short link to a short link could loop). Normalising lower-cases
// the scheme and host, converts an internationalised host to punycode,
// drops a default port and trims surrounding spaces; path, query and
// fragment are kept as given. fault.Invalid on field "url".
func (p Policy) NormalizeTarget(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	switch {
	case raw == "":
		return "", invalid("url", "required", "url is required")
	case len(raw) > MaxTargetBytes:
		return "", invalid("url", "max_length", fmt.Sprintf("url must be at most %d bytes", MaxTargetBytes))
	case !utf8.ValidString(raw):
		return "", invalid("url", "format", "url must be valid UTF-8")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", invalid("url", "format", "url is not a valid URL")
	}
	switch {
	case u.Scheme == "":
		return "", invalid("url", "absolute", "url must be absolute, starting with http:// or https://")
	case u.Scheme != "http" && u.Scheme != "https":
		return "", invalid("url", "scheme", fmt.Sprintf("url must use http or https, not %q", u.Scheme))
	case u.Opaque != "":
		return "", invalid("url", "absolute", "url must start with http:// or https://")
	case u.User != nil:
		return "", invalid("url", "userinfo", "url must not contain a user name or password")
	case u.Hostname() == "":
		return "", invalid("url", "host", "url must have a host")
	}
	host, err := normalizeHost(u.Hostname())
	if err != nil {
		return "", invalid("url", "host", fmt.Sprintf("url host is not valid: %v", err))
	}
	port := u.Port()
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return "", invalid("url", "port", "url port must be 1..65535")
		}
		port = strconv.Itoa(n)
	}
	effective := port
	if port == "" || port == defaultPorts[u.Scheme] {
		port, effective = "", defaultPorts[u.Scheme]
	}
	if p.isOwn(host, effective) {
		return "", invalid("url", "self", "url must not point back at this link service")
	}
	u.Host = joinHost(host, port)
	out := u.String()
	if len(out) > MaxTargetBytes {
		return "", invalid("url", "max_length", fmt.Sprintf("url must be at most %d bytes", MaxTargetBytes))
	}
	return out, nil
}

// normalizeHost returns the canonical form of a URL host (without port or
// brackets): an IP address in its canonical text, or a lower-case ASCII
// domain name, internationalised names converted to punycode.
func normalizeHost(h string) (string, error) {
	if strings.Contains(h, ":") || strings.Contains(h, "%") {
		a, err := netip.ParseAddr(h)
		if err != nil || a.Zone() != "" {
			return "", errors.New("not an IP address without zone")
		}
		return a.String(), nil
	}
	if a, err := netip.ParseAddr(h); err == nil {
		return a.String(), nil
	}
	if strings.IndexFunc(h, func(r rune) bool { return r >= utf8.RuneSelf }) >= 0 {
		ascii, err := idna.Lookup.ToASCII(h)
		if err != nil {
			return "", errors.New("not a valid internationalised domain name")
		}
		h = ascii
	}
	h = strings.ToLower(h)
	if err := checkDomain(h); err != nil {
		return "", err
	}
	return h, nil
}

// checkDomain accepts dot-separated labels of letters, digits, "-" and "_"
// (underscores appear in real service hosts), 1..63 bytes each, 253 in all;
// one trailing dot (a fully qualified name) is allowed.
func checkDomain(h string) error {
	name := strings.TrimSuffix(h, ".")
	if name == "" || len(name) > 253 {
		return errors.New("domain name must be 1..253 bytes")
	}
	for label := range strings.SplitSeq(name, ".") {
		if label == "" || len(label) > 63 {
			return errors.New("each domain label must be 1..63 bytes")
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return fmt.Errorf("domain name holds %q", c)
			}
		}
	}
	return nil
}

// joinHost puts host and an optional port back into URL form.
func joinHost(host, port string) string {
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port == "" {
		return host
	}
	return host + ":" + port
}
