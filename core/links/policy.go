package links

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
)

// Policy is how links are made: which hosts are gatehouse's own (targets
// there would redirect in a loop), which words cannot be aliases and how
// long generated aliases are.
type Policy struct {
	// OwnHosts are the hosts gatehouse's short links are served on, as
	// "host" (any port) or "host:port"; targets there are refused.
	OwnHosts []string
	// AliasLength is the length of generated aliases; 0 means
	// DefaultAliasLength.
	AliasLength int
	// Reserved are route words of this deployment refused as aliases on
	// top of the built-in ones (see Reserved), compared case-insensitively:
	// the first path segment of every configured frontend and redirect
	// prefix, so that no alias shadows a route or is shadowed by one.
	// FirstSegments makes them from the prefixes.
	Reserved []string
	// RefusePrivate also refuses targets that are not on the public
	// internet: private, shared (CGNAT), link-local, documentation and
	// other non-global addresses in any spelling, and names that resolve
	// only inside a network (a single label, .local, .internal ...). Loopback,
	// unspecified and localhost targets are refused whatever it says.
	RefusePrivate bool
}

// WithDefaults returns p with a zero AliasLength replaced by the default.
func (p Policy) WithDefaults() Policy {
	if p.AliasLength == 0 {
		p.AliasLength = DefaultAliasLength
	}
	return p
}

// Validate reports the first rule p breaks, as a fault.Invalid naming the
// field. Call it on WithDefaults' result.
func (p Policy) Validate() error {
	if p.AliasLength < 4 || p.AliasLength > MaxAliasLength {
		return invalid("links.alias_length", "range",
			fmt.Sprintf("links: alias length %d must be within 4..%d", p.AliasLength, MaxAliasLength))
	}
	for _, h := range p.OwnHosts {
		if _, err := parseOwnHost(h); err != nil {
			return invalid("links.own_hosts", "format", fmt.Sprintf("links: own host %q: %v", h, err))
		}
	}
	for _, w := range p.Reserved {
		if w == "" || strings.Contains(w, "/") {
			return invalid("links.reserved", "format",
				fmt.Sprintf("links: reserved word %q: want one path segment such as \"go\"", w))
		}
	}
	return nil
}

// FirstSegments returns the first segment of each path ("/api/v2" gives
// "api"), skipping paths without one ("" and "/"): the words a set of
// mount prefixes takes from the alias space, for Policy.Reserved.
func FirstSegments(paths ...string) []string {
	var words []string
	for _, p := range paths {
		first, _, _ := strings.Cut(strings.TrimLeft(p, "/"), "/")
		if first != "" {
			words = append(words, first)
		}
	}
	return words
}

// ownHost is one normalised entry of Policy.OwnHosts.
type ownHost struct {
	host host
	port string // "" matches any port
}

// parseOwnHost reads "host" or "host:port" (IPv6 in brackets).
func parseOwnHost(s string) (ownHost, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, "/@?#") {
		return ownHost{}, fmt.Errorf("want host or host:port")
	}
	name, port := s, ""
	if h, p, err := net.SplitHostPort(s); err == nil {
		name, port = h, p
	} else if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		name = s[1 : len(s)-1]
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return ownHost{}, fmt.Errorf("port %q is not 1..65535", port)
		}
		port = strconv.Itoa(n)
	}
	h, err := parseHost(name, strings.HasPrefix(s, "["))
	if err != nil {
		return ownHost{}, err
	}
	return ownHost{host: h, port: port}, nil
}

// isOwn reports whether h on the effective port is one of p's own hosts;
// an address matches in any of its spellings (an IPv4 own host is also
// reached through its IPv4-mapped IPv6 form). Entries that do not parse
// were refused by Validate and are skipped here.
func (p Policy) isOwn(h host, port string) bool {
	for _, s := range p.OwnHosts {
		o, err := parseOwnHost(s)
		if err != nil || (o.port != "" && o.port != port) {
			continue
		}
		if o.host.addr.IsValid() && h.addr.IsValid() {
			if slices.Contains(reachable(h.addr), o.host.addr.Unmap()) {
				return true
			}
			continue
		}
		if o.host.name != "" && o.host.name == h.name {
			return true
		}
	}
	return false
}
