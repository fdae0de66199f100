package links

import (
	"net/netip"
	"strings"
)

// thisHost4 is 0.0.0.0/8, "this network": connecting to 0.0.0.0 reaches
// the local machine, like loopback.
var thisHost4 = netip.MustParsePrefix("0.0.0.0/8")

// nat64 is the well-known NAT64 prefix: its last 32 bits are an IPv4
// address that a translator reaches on the host's behalf.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// nonGlobal are the ranges of the IANA special-purpose address registries
// (RFC 6890 and successors) that are not globally reachable, plus
// multicast and the reserved 240.0.0.0/4: private, shared (CGNAT),
// link-local, documentation, benchmarking and protocol ranges. Loopback
// and unspecified addresses are refused always and are not listed.
var nonGlobal = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("192.88.99.0/24"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("224.0.0.0/4"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("100::/64"),
	netip.MustParsePrefix("2001::/23"),
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("3fff::/20"),
	netip.MustParsePrefix("5f00::/16"),
	netip.MustParsePrefix("fc00::/7"),
	netip.MustParsePrefix("fe80::/10"),
	netip.MustParsePrefix("fec0::/10"),
	netip.MustParsePrefix("ff00::/8"),
}

// privateSuffixes are name suffixes that resolve only inside a network:
// mDNS, the special-use home.arpa and internal names, and those RFC 6762
// appendix G lists as in common private use.
var privateSuffixes = []string{"local", "localdomain", "internal", "home.arpa", "lan", "home", "corp", "intranet", "private"}

// reachable returns the addresses a connection to a may end up at: a
// itself and the IPv4 address embedded in it when a is IPv4-mapped,
// IPv4-compatible, NAT64 (64:ff9b::/96) or 6to4 (2002::/16). Each is
// judged, so no IPv6 spelling hides an IPv4 address.
func reachable(a netip.Addr) []netip.Addr {
	addrs := []netip.Addr{a}
	if !a.Is6() {
		return addrs
	}
	b := a.As16()
	var v4 [4]byte
	switch {
	case a.Is4In6():
		v4 = [4]byte(b[12:])
	case [12]byte(b[:12]) == [12]byte{} && !a.IsUnspecified() && !a.IsLoopback():
		v4 = [4]byte(b[12:]) // IPv4-compatible, deprecated but still parsed
	case nat64.Contains(a):
		v4 = [4]byte(b[12:])
	case b[0] == 0x20 && b[1] == 0x02:
		v4 = [4]byte(b[2:6])
	default:
		return addrs
	}
	return append(addrs, netip.AddrFrom4(v4))
}

// isLocalAddr reports whether a reaches the machine itself: loopback
// (127.0.0.0/8, ::1), unspecified (0.0.0.0, ::) or 0.0.0.0/8, in any
// spelling.
func isLocalAddr(a netip.Addr) bool {
	for _, r := range reachable(a) {
		if r.IsLoopback() || r.IsUnspecified() || thisHost4.Contains(r) {
			return true
		}
	}
	return false
}

// isPrivateAddr reports whether a, in any spelling, is not globally
// reachable (see nonGlobal).
func isPrivateAddr(a netip.Addr) bool {
	for _, r := range reachable(a) {
		for _, p := range nonGlobal {
			if p.Contains(r) {
				return true
			}
		}
	}
	return false
}

// isLocalName reports whether a canonical domain name names the machine
// itself: localhost and every name under it (RFC 6761), and the loopback
// names common in /etc/hosts.
func isLocalName(name string) bool {
	switch name {
	case "localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback":
		return true
	}
	return strings.HasSuffix(name, ".localhost")
}

// isPrivateName reports whether a canonical domain name only resolves
// inside a network: a single label (completed by the resolver's search
// domains) or one of privateSuffixes.
func isPrivateName(name string) bool {
	if !strings.Contains(name, ".") {
		return true
	}
	for _, s := range privateSuffixes {
		if name == s || strings.HasSuffix(name, "."+s) {
			return true
		}
	}
	return false
}
