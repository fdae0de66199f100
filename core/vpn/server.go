// Package vpn is the pure model of VPN access: servers, subscriptions with
// device limits, devices, access keys and the rules for issuing keys.
//
// Nothing here does I/O or reads the clock: the current time comes in as an
// argument, random values as bytes.
package vpn

import (
	"encoding/base64"
	"encoding/hex"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// Protocol is how a server's keys are made.
type Protocol string

// The protocols gatehouse provisions.
const (
	WireGuard Protocol = "wireguard"
	Outline   Protocol = "outline"
	Static    Protocol = "static" // keys from config, for development
)

// Known reports whether p is one of the protocols.
func (p Protocol) Known() bool {
	return p == WireGuard || p == Outline || p == Static
}

// Server is one VPN server users get keys for.
type Server struct {
	ID       int64 // assigned by the store, from 1
	Country  string
	City     string
	PingURL  string // what clients ping to measure latency
	Endpoint string // public host:port clients connect to
	Protocol Protocol
	// Capacity is how many active connections the server takes; 0: unbounded.
	Capacity int
	Enabled  bool
	// ActiveConnections is the last count the provisioner reported; the
	// store does not keep it (it lives in the shared cache).
	ActiveConnections int

	WireGuard WireGuardSettings // Protocol WireGuard only
	Outline   OutlineSettings   // Protocol Outline only
	Static    StaticSettings    // Protocol Static only
}

// WireGuardSettings are a WireGuard server's own values, which every client
// config repeats. The defaults are wg-easy's.
type WireGuardSettings struct {
	PublicKey  string   // the server's key, standard base64 of 32 bytes
	ListenPort int      // 0: the Endpoint's port
	IPv4CIDR   string   // client pool, e.g. "10.8.0.0/24"
	IPv6CIDR   string   // client pool, e.g. "fdcc:ad94:bacf:61a4::cafe:0/112"; empty: IPv4 only
	DNS        []string // written into client configs when non-empty
	MTU        int
	Keepalive  int      // PersistentKeepalive seconds; 0: off
	AllowedIPs []string // what clients route through the tunnel
}

// The wg-easy defaults a server added without them gets.
const (
	DefaultWireGuardIPv4 = "10.8.0.0/24"
	DefaultWireGuardIPv6 = "fdcc:ad94:bacf:61a4::cafe:0/112"
	DefaultWireGuardMTU  = 1420
)

// DefaultWireGuardDNS and DefaultAllowedIPs are wg-easy's defaults.
func DefaultWireGuardDNS() []string { return []string{"1.1.1.1", "2606:4700:4700::1111"} }

// DefaultAllowedIPs routes everything through the tunnel.
func DefaultAllowedIPs() []string { return []string{"0.0.0.0/0", "::/0"} }

// OutlineSettings reach an Outline server's management API.
type OutlineSettings struct {
	APIURL     string // https://host:port/<secret prefix>, as the installer prints it
	CertSHA256 string // hex SHA-256 of the API's DER certificate
}

// StaticSettings are handed out as they are, for development.
type StaticSettings struct {
	AccessURL string // e.g. an ss:// URL
	Config    string // e.g. a wg-quick file
}

// WithDefaults fills the settings a new server left empty.
func (s Server) WithDefaults() Server {
	if s.Protocol != WireGuard {
		return s
	}
	w := &s.WireGuard
	if w.IPv4CIDR == "" {
		w.IPv4CIDR = DefaultWireGuardIPv4
		if w.IPv6CIDR == "" {
			w.IPv6CIDR = DefaultWireGuardIPv6
		}
	}
	if w.MTU == 0 {
		w.MTU = DefaultWireGuardMTU
	}
	if w.DNS == nil {
		w.DNS = DefaultWireGuardDNS()
	}
	if len(w.AllowedIPs) == 0 {
		w.AllowedIPs = DefaultAllowedIPs()
	}
	if w.ListenPort == 0 {
		if _, port, err := net.SplitHostPort(s.Endpoint); err == nil {
			w.ListenPort, _ = strconv.Atoi(port)
		}
	}
	return s
}

// Validate checks a server being added. fault.Invalid on the field at fault.
func (s Server) Validate() error {
	switch {
	case strings.TrimSpace(s.Country) == "":
		return invalid("country", "required", "country is required")
	case strings.TrimSpace(s.City) == "":
		return invalid("city", "required", "city is required")
	case !s.Protocol.Known():
		return invalid("protocol", "oneof", "protocol must be wireguard, outline or static")
	case s.Capacity < 0:
		return invalid("capacity", "min", "capacity must be zero (unbounded) or more")
	}
	if s.PingURL != "" && !httpURL(s.PingURL) {
		return invalid("ping_url", "url", "ping_url must be an http or https URL")
	}
	if s.Protocol != Static {
		if _, _, err := splitEndpoint(s.Endpoint); err != nil {
			return invalid("endpoint", "hostport", "endpoint must be host:port")
		}
	}
	switch s.Protocol {
	case WireGuard:
		return s.WireGuard.validate()
	case Outline:
		return s.Outline.validate()
	default:
		if s.Static.AccessURL == "" && s.Static.Config == "" {
			return invalid("static", "required", "a static server needs an access URL or a config")
		}
	}
	return nil
}

func (w WireGuardSettings) validate() error {
	if !ValidKey(w.PublicKey) {
		return invalid("public_key", "wgkey", "public_key must be a WireGuard key (base64 of 32 bytes)")
	}
	if p, err := netip.ParsePrefix(w.IPv4CIDR); err != nil || !p.Addr().Is4() || p.Bits() > 30 {
		return invalid("ipv4_cidr", "cidr", "ipv4_cidr must be an IPv4 range of at least 4 addresses")
	}
	if w.IPv6CIDR != "" {
		if p, err := netip.ParsePrefix(w.IPv6CIDR); err != nil || !p.Addr().Is6() || p.Addr().Is4In6() || p.Bits() > 126 {
			return invalid("ipv6_cidr", "cidr", "ipv6_cidr must be an IPv6 range of at least 4 addresses")
		}
	}
	for _, d := range w.DNS {
		if _, err := netip.ParseAddr(d); err != nil {
			return invalid("dns", "ip", "dns must list IP addresses")
		}
	}
	for _, a := range w.AllowedIPs {
		if _, err := netip.ParsePrefix(a); err != nil {
			return invalid("allowed_ips", "cidr", "allowed_ips must list CIDR ranges")
		}
	}
	switch {
	case w.MTU != 0 && (w.MTU < 1280 || w.MTU > 9000):
		return invalid("mtu", "range", "mtu must be between 1280 and 9000")
	case w.Keepalive < 0 || w.Keepalive > 65535:
		return invalid("keepalive", "range", "keepalive must be between 0 and 65535 seconds")
	case w.ListenPort < 0 || w.ListenPort > 65535:
		return invalid("listen_port", "range", "listen_port must be between 1 and 65535")
	}
	return nil
}

func (o OutlineSettings) validate() error {
	u, err := url.Parse(o.APIURL)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return invalid("api_url", "url", "api_url must be the https URL the Outline installer printed")
	}
	fp := strings.ReplaceAll(o.CertSHA256, ":", "")
	if b, err := hex.DecodeString(fp); err != nil || len(b) != 32 {
		return invalid("cert_sha256", "sha256", "cert_sha256 must be the hex SHA-256 of the API certificate")
	}
	return nil
}

// ValidKey reports whether k is a WireGuard key as wg(8) writes it:
// standard base64 with padding of 32 bytes.
func ValidKey(k string) bool {
	b, err := base64.StdEncoding.DecodeString(k)
	return err == nil && len(b) == 32
}

// Host returns the host of the server's Endpoint ("" when it has none).
func (s Server) Host() string {
	h, _, _ := splitEndpoint(s.Endpoint)
	return h
}

func splitEndpoint(ep string) (string, int, error) {
	h, p, err := net.SplitHostPort(ep)
	if err != nil {
		return "", 0, err
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 65535 || h == "" {
		return "", 0, strconv.ErrRange
	}
	return h, n, nil
}

func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// Public returns s without what only gatehouse may know: the Outline
// management URL (its path is the API's secret) and static key material.
func (s Server) Public() Server {
	s.Outline = OutlineSettings{}
	s.Static = StaticSettings{}
	return s
}
