package links_test

import (
	"testing"

	"gatehouse/core/links"
)

// TestNormalizeTargetSpellings feeds the host spellings a browser or curl
// reads as an address: each is judged by the address it reaches and stored
// in canonical form.
func TestNormalizeTargetSpellings(t *testing.T) {
	p := links.Policy{OwnHosts: []string{"sho.rt", "198.51.100.7:8080"}}.WithDefaults()
	tests := []struct {
		name, in, want, rule string
	}{
		// Seen accepted and followed in a loop (issue 7): the service on 127.0.0.1:8080.
		{"short IPv4", "http://127.1:8080/x", "", "self"},
		{"zero", "http://0:8080/x", "", "self"},
		{"unspecified", "http://0.0.0.0:8080/x", "", "self"},
		{"IPv4-mapped loopback", "http://[::ffff:127.0.0.1]:8080/x", "", "self"},
		{"octal", "http://0177.0.0.1:8080/x", "", "self"},
		{"one decimal number", "http://2130706433:8080/x", "", "self"},
		{"one hex number", "http://0x7f000001:8080/x", "", "self"},
		{"zero-padded parts", "http://127.000.000.001:8080/x", "", "self"},
		// More spellings of the same machine.
		{"loopback on the default port", "http://127.0.0.1/x", "", "self"},
		{"anywhere in 127/8", "http://127.255.3.4/", "", "self"},
		{"upper-case hex", "http://0X7F000001/", "", "self"},
		{"hex parts", "http://0x7f.0x0.0x0.0x1/", "", "self"},
		{"mixed bases", "http://0x7f.0.01/", "", "self"},
		{"octal one number", "http://017700000001/", "", "self"},
		{"three parts", "http://127.0.1/", "", "self"},
		{"trailing dot", "http://127.0.0.1./", "", "self"},
		{"bare 0x is zero", "http://0x/", "", "self"},
		{"zero in this network", "http://0.1.2.3/", "", "self"},
		{"full-width digits", "http://１２７.０.０.１/", "", "self"},
		{"ideographic dots", "http://127。0。0。1/", "", "self"},
		{"percent-encoded full-width digits", "http://%EF%BC%91%EF%BC%92%EF%BC%97.0.0.1/", "", "self"},
		{"percent-encoded ASCII", "http://%31%32%37.0.0.1/", "", "format"},
		{"IPv6 loopback", "http://[::1]:8080/", "", "self"},
		{"IPv6 loopback spelled out", "http://[0:0:0:0:0:0:0:1]/", "", "self"},
		{"IPv6 unspecified", "http://[::]/", "", "self"},
		{"IPv4-mapped hex", "http://[::ffff:7f00:1]/", "", "self"},
		{"IPv4-mapped unspecified", "http://[::ffff:0.0.0.0]/", "", "self"},
		{"IPv4-compatible", "http://[::127.0.0.1]/", "", "self"},
		{"NAT64", "http://[64:ff9b::127.0.0.1]/", "", "self"},
		{"6to4", "http://[2002:7f00:1::]/", "", "self"},
		{"localhost", "http://localhost:8080/", "", "self"},
		{"localhost upper-case with a dot", "http://LOCALHOST./", "", "self"},
		{"under localhost", "http://app.localhost/", "", "self"},
		{"full-width localhost", "http://ｌｏｃａｌｈｏｓｔ/", "", "self"},
		{"own IPv4 in short form", "http://198.51.25607:8080/", "", "self"},
		{"own IPv4 as a number", "http://3325256711:8080/", "", "self"},
		{"own IPv4 mapped", "http://[::ffff:198.51.100.7]:8080/", "", "self"},
		{"own IPv4 on another port", "http://198.51.100.7/", "http://198.51.100.7/", ""},
		// Hosts that look numeric but are no address: browsers refuse them.
		{"five parts", "http://1.2.3.4.5/", "", "host"},
		{"part above 255", "http://256.0.0.1/", "", "host"},
		{"last part too large", "http://1.2.65536/", "", "host"},
		{"number too large", "http://4294967296/", "", "host"},
		{"huge hex", "http://0xffffffffffffffffffffff/", "", "host"},
		{"bad octal", "http://09.0.0.1/", "", "host"},
		{"name ending in a number", "http://example.123/", "", "host"},
		{"name ending in hex", "http://example.0x1/", "", "host"},
		{"empty part", "http://127..0.1/", "", "host"},
		{"bracketed IPv4", "http://[127.0.0.1]/", "", "format"},
		{"bracketed name", "http://[example.com]/", "", "format"},
		{"right-to-left override", "http://exa\u202emple.com/", "", "host"},
		// Legitimate hosts, stored in canonical form.
		{"public IPv4", "http://1.2.3.4/", "http://1.2.3.4/", ""},
		{"public IPv4 as a number", "http://16909060/", "http://1.2.3.4/", ""},
		{"public IPv4 in hex", "http://0x01020304:8080/x", "http://1.2.3.4:8080/x", ""},
		{"public IPv4 trailing dot", "http://1.2.3.4./", "http://1.2.3.4/", ""},
		{"name with a trailing dot", "https://example.com./", "https://example.com/", ""},
		{"full-width name", "https://ｅｘａｍｐｌｅ.com/", "https://example.com/", ""},
		{"documentation IPv6", "http://[2001:db8::1]/", "http://[2001:db8::1]/", ""},
		{"private IPv4 allowed by default", "http://192.168.1.1/", "http://192.168.1.1/", ""},
		{"numeric label inside a name", "https://123.example.com/", "https://123.example.com/", ""},
		{"hyphens as browsers allow", "https://r3---sn-abc.example.com/", "https://r3---sn-abc.example.com/", ""},
		{"localhost as a word", "https://localhost.example.com/", "https://localhost.example.com/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.NormalizeTarget(tt.in)
			wantFieldRule(t, err, "url", tt.rule)
			if got != tt.want {
				t.Fatalf("NormalizeTarget(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestNormalizeTargetPrivate checks Policy.RefusePrivate: every address
// or name that is not on the public internet is refused, in any spelling.
func TestNormalizeTargetPrivate(t *testing.T) {
	p := links.Policy{RefusePrivate: true}.WithDefaults()
	tests := []struct {
		name, in, want, rule string
	}{
		{"10/8", "http://10.1.2.3/", "", "private"},
		{"10/8 as a number", "http://167772161/", "", "private"},
		{"172.16/12", "http://172.31.255.255/", "", "private"},
		{"192.168/16 short", "http://192.168.257/", "", "private"},
		{"CGNAT", "http://100.64.0.1/", "", "private"},
		{"link-local", "http://169.254.169.254/latest/meta-data/", "", "private"},
		{"link-local in hex", "http://0xa9fea9fe/", "", "private"},
		{"documentation IPv4", "http://192.0.2.1/", "", "private"},
		{"benchmarking", "http://198.18.0.1/", "", "private"},
		{"multicast", "http://224.0.0.1/", "", "private"},
		{"broadcast", "http://255.255.255.255/", "", "private"},
		{"reserved", "http://240.0.0.1/", "", "private"},
		{"mapped private", "http://[::ffff:10.0.0.1]/", "", "private"},
		{"NAT64 private", "http://[64:ff9b::a00:1]/", "", "private"},
		{"6to4 private", "http://[2002:c0a8:101::1]/", "", "private"},
		{"documentation IPv6", "http://[2001:db8::1]/", "", "private"},
		{"unique local", "http://[fd00::1]/", "", "private"},
		{"IPv6 link-local", "http://[fe80::1]/", "", "private"},
		{"site-local", "http://[fec0::1]/", "", "private"},
		{"IPv6 multicast", "http://[ff02::1]/", "", "private"},
		{"Teredo", "http://[2001::1]/", "", "private"},
		{"single label", "http://intranet/", "", "private"},
		{"mDNS", "http://printer.local/", "", "private"},
		{"internal", "https://db.internal./", "", "private"},
		{"home.arpa", "http://nas.home.arpa/", "", "private"},
		{"loopback still self", "http://127.0.0.1/", "", "self"},
		{"public IPv4", "http://1.2.3.4/", "http://1.2.3.4/", ""},
		{"public IPv6", "http://[2606:4700::1111]/", "http://[2606:4700::1111]/", ""},
		{"mapped public", "http://[::ffff:1.2.3.4]/", "http://[::ffff:1.2.3.4]/", ""},
		{"public name", "https://example.com./a", "https://example.com/a", ""},
		{"local as a word", "https://local.example.com/", "https://local.example.com/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.NormalizeTarget(tt.in)
			wantFieldRule(t, err, "url", tt.rule)
			if got != tt.want {
				t.Fatalf("NormalizeTarget(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
