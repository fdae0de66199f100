package links

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
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
// "https://bank.com@evil.example" deception), and not pointing back at
// gatehouse: a short link to a short link could loop. The host is read as
// a browser reads it (see parseHost), so every spelling of an address is
// judged by the address itself: loopback, unspecified and localhost hosts
// are refused on any port, as are p's own hosts, and with p.RefusePrivate
// every address or name that is not public too.
//
// Normalising lower-cases the scheme, stores the host in canonical form
// (an IPv4 address dotted-decimal, an IPv6 address compressed, a name in
// lower-case punycode without a trailing dot), drops a default port and
// trims surrounding spaces; path, query and fragment are kept as given.
// fault.Invalid on field "url".
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
	h, err := parseHost(u.Hostname(), strings.HasPrefix(u.Host, "["))
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
	if err := p.checkReach(h, effective); err != nil {
		return "", err
	}
	u.Host = h.String()
	if port != "" {
		u.Host += ":" + port
	}
	out := u.String()
	if len(out) > MaxTargetBytes {
		return "", invalid("url", "max_length", fmt.Sprintf("url must be at most %d bytes", MaxTargetBytes))
	}
	return out, nil
}

// checkReach refuses a target host that leads back to this machine or to
// gatehouse, and with p.RefusePrivate one that is not public.
func (p Policy) checkReach(h host, port string) error {
	local := isLocalName(h.name)
	if h.addr.IsValid() {
		local = isLocalAddr(h.addr)
	}
	switch {
	case local:
		return invalid("url", "self", "url must not point at this machine (localhost, a loopback or an unspecified address)")
	case p.isOwn(h, port):
		return invalid("url", "self", "url must not point back at this link service")
	case p.RefusePrivate && (h.addr.IsValid() && isPrivateAddr(h.addr) || h.name != "" && isPrivateName(h.name)):
		return invalid("url", "private", "url must point at a public host, not a private, link-local or other internal address or name")
	}
	return nil
}
