package links

import (
	"errors"
	"fmt"
	"math"
	"net/netip"
	"strings"

	"golang.org/x/net/idna"
)

// host is a URL host in canonical form: an IP address, or a lower-case
// ASCII domain name without a trailing dot.
type host struct {
	addr netip.Addr // valid when the host is an IP address
	name string     // the domain name otherwise
}

// String returns h as it appears in a URL, an IPv6 address in brackets.
func (h host) String() string {
	switch {
	case !h.addr.IsValid():
		return h.name
	case h.addr.Is4():
		return h.addr.String()
	default:
		return "[" + h.addr.String() + "]"
	}
}

// hostProfile maps a host the way the WHATWG URL standard's "domain to
// ASCII" does, which is what browsers follow to a redirect: UTS #46
// non-transitional mapping (case, full-width forms, ideographic dots),
// Bidi and joiner rules, but no STD3 or hyphen rules.
var hostProfile = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.Transitional(false),
	idna.StrictDomainName(false), idna.CheckHyphens(false))

// parseHost reads a URL host (brackets removed, percent-encoding decoded)
// as a browser does, so that a host is judged by the address a browser
// would reach and not by how it is spelled. bracketed says the URL wrote it
// in brackets, which only an IPv6 address may be.
//
// Following the WHATWG host parser, a name is mapped to ASCII first; a name
// whose last label is a number ("127.1", "0x7f000001", "2130706433",
// "0177.0.0.1", full-width digits) is an IPv4 address in one of its many
// spellings, or no valid host at all.
func parseHost(raw string, bracketed bool) (host, error) {
	if bracketed {
		a, err := netip.ParseAddr(raw)
		if err != nil || !a.Is6() || a.Zone() != "" {
			return host{}, errors.New("not an IPv6 address without zone")
		}
		return host{addr: a}, nil
	}
	if raw == "" {
		return host{}, errors.New("empty")
	}
	ascii, err := hostProfile.ToASCII(raw)
	if err != nil {
		return host{}, errors.New("not a valid domain name")
	}
	if endsInNumber(ascii) {
		a, err := parseIPv4(ascii)
		if err != nil {
			return host{}, err
		}
		return host{addr: a}, nil
	}
	name := strings.TrimSuffix(ascii, ".")
	if err := checkDomain(name); err != nil {
		return host{}, err
	}
	return host{name: name}, nil
}

// checkDomain accepts dot-separated labels of letters, digits, "-" and "_"
// (underscores appear in real service hosts), 1..63 bytes each, 253 in all.
func checkDomain(name string) error {
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

// endsInNumber reports whether the last label of a host (one trailing dot
// ignored) is a number as parseIPv4Number reads it: such a host is an IPv4
// address or invalid, never a domain name.
func endsInNumber(s string) bool {
	parts := strings.Split(s, ".")
	if parts[len(parts)-1] == "" {
		if len(parts) == 1 {
			return false
		}
		parts = parts[:len(parts)-1]
	}
	last := parts[len(parts)-1]
	if last != "" && strings.Trim(last, "0123456789") == "" {
		return true
	}
	_, ok := parseIPv4Number(last)
	return ok
}

// parseIPv4 reads every IPv4 spelling a browser accepts: one to four parts
// (one trailing dot allowed), each decimal, octal with a leading 0 or hex
// with 0x; all parts but the last are one byte and the last fills the
// bytes left, so "127.1" is 127.0.0.1 and "2130706433" is too.
func parseIPv4(s string) (netip.Addr, error) {
	parts := strings.Split(s, ".")
	if len(parts) > 1 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	if len(parts) > 4 {
		return netip.Addr{}, errors.New("an IPv4 address has at most four parts")
	}
	var v uint64
	for i, p := range parts {
		n, ok := parseIPv4Number(p)
		if !ok {
			return netip.Addr{}, fmt.Errorf("IPv4 part %q is not a number", p)
		}
		if i < len(parts)-1 {
			if n > 255 {
				return netip.Addr{}, fmt.Errorf("IPv4 part %q is above 255", p)
			}
			v |= n << (8 * (3 - i))
			continue
		}
		if n >= 1<<(8*(5-len(parts))) {
			return netip.Addr{}, fmt.Errorf("IPv4 part %q is out of range", p)
		}
		v |= n
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), nil
}

// parseIPv4Number reads one part of an IPv4 address: decimal, octal after
// a leading "0", hex after "0x" (then an empty rest is 0). Values too large
// for any address saturate instead of failing, so the caller refuses them
// as out of range, as a browser does.
func parseIPv4Number(s string) (uint64, bool) {
	if s == "" {
		return 0, false
	}
	base := uint64(10)
	switch {
	case len(s) >= 2 && (s[:2] == "0x" || s[:2] == "0X"):
		s, base = s[2:], 16
	case len(s) >= 2 && s[0] == '0':
		s, base = s[1:], 8
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		d := digitValue(s[i])
		if d >= base {
			return 0, false
		}
		if n > (math.MaxUint64-d)/base {
			n = math.MaxUint64
			continue
		}
		n = n*base + d
	}
	return n, true
}

// digitValue is the value of a hex digit, or 255 for any other byte.
func digitValue(c byte) uint64 {
	switch {
	case c >= '0' && c <= '9':
		return uint64(c - '0')
	case c >= 'a' && c <= 'f':
		return uint64(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return uint64(c-'A') + 10
	}
	return 255
}
