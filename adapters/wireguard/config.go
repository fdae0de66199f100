package wireguard

import (
	"strconv"
	"strings"

	"gatehouse/core/vpn"
)

// ClientConfig is the wg-quick file of key material m on server s, as
// wg-easy writes it: Address as /32 and /128, DNS only when there is some,
// MTU and PersistentKeepalive always, Endpoint last.
func ClientConfig(s vpn.Server, m vpn.Material) string {
	w := s.WireGuard
	var b strings.Builder
	b.WriteString("[Interface]\n")
	b.WriteString("PrivateKey = " + m.PrivateKey + "\n")
	b.WriteString("Address = " + strings.Join(m.Addresses, ", ") + "\n")
	if len(w.DNS) > 0 {
		b.WriteString("DNS = " + strings.Join(w.DNS, ", ") + "\n")
	}
	b.WriteString("MTU = " + strconv.Itoa(mtu(w)) + "\n")
	b.WriteString("\n[Peer]\n")
	b.WriteString("PublicKey = " + w.PublicKey + "\n")
	b.WriteString("PresharedKey = " + m.PresharedKey + "\n")
	b.WriteString("AllowedIPs = " + strings.Join(allowed(w), ", ") + "\n")
	b.WriteString("PersistentKeepalive = " + strconv.Itoa(w.Keepalive) + "\n")
	b.WriteString("Endpoint = " + s.Endpoint + "\n")
	return b.String()
}

func mtu(w vpn.WireGuardSettings) int {
	if w.MTU == 0 {
		return vpn.DefaultWireGuardMTU
	}
	return w.MTU
}

func allowed(w vpn.WireGuardSettings) []string {
	if len(w.AllowedIPs) == 0 {
		return vpn.DefaultAllowedIPs()
	}
	return w.AllowedIPs
}
