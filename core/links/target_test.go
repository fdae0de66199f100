package links_test

import (
	"strings"
	"testing"

	"gatehouse/core/links"
)

func TestNormalizeTarget(t *testing.T) {
	p := links.Policy{OwnHosts: []string{"sho.rt", "gatehouse.example:8443", "[2001:db8::1]"}}.WithDefaults()
	long := "https://example.com/" + strings.Repeat("a", links.MaxTargetBytes-len("https://example.com/"))
	tests := []struct {
		name, in, want, rule string
	}{
		{"kept as is", "https://example.com/a/b?q=1#frag", "https://example.com/a/b?q=1#frag", ""},
		{"scheme and host lower-cased, path kept", "HTTPS://Example.COM/Path/X", "https://example.com/Path/X", ""},
		{"surrounding space trimmed", "  http://example.com  ", "http://example.com", ""},
		{"default http port dropped", "http://example.com:80/x", "http://example.com/x", ""},
		{"default https port dropped", "https://example.com:443/", "https://example.com/", ""},
		{"other port kept", "https://example.com:8443/", "https://example.com:8443/", ""},
		{"leading zeros of a port dropped", "https://example.com:0443/", "https://example.com/", ""},
		{"empty port dropped", "https://example.com:/", "https://example.com/", ""},
		{"IDN to punycode", "https://Bücher.example/buch", "https://xn--bcher-kva.example/buch", ""},
		{"IPv4", "http://192.0.2.1/", "http://192.0.2.1/", ""},
		{"IPv6 canonical", "http://[2001:DB8:0:0::2]:8080/", "http://[2001:db8::2]:8080/", ""},
		{"percent-encoded query kept", "https://example.com/?q=a%20b&r=%2F", "https://example.com/?q=a%20b&r=%2F", ""},
		{"exactly the limit", long, long, ""},
		{"empty", "", "", "required"},
		{"only spaces", "   ", "", "required"},
		{"too long", long + "a", "", "max_length"},
		{"relative path", "/foo/bar", "", "absolute"},
		{"scheme-relative", "//example.com/x", "", "absolute"},
		{"bare host", "example.com", "", "absolute"},
		{"javascript", "javascript:alert(1)", "", "scheme"},
		{"javascript upper-case", "JavaScript:alert(1)", "", "scheme"},
		{"data", "data:text/html;base64,PHNjcmlwdD4=", "", "scheme"},
		{"ftp", "ftp://example.com/file", "", "scheme"},
		{"opaque http", "http:example.com", "", "absolute"},
		{"userinfo", "https://user:pass@example.com/", "", "userinfo"},
		{"user only", "https://bank.example@evil.example/", "", "userinfo"},
		{"no host", "https:///path", "", "host"},
		{"bad host character", "https://exa mple.com/", "", "format"},
		{"empty label", "https://example..com/", "", "host"},
		{"IPv6 zone", "http://[fe80::1%25en0]/", "", "host"},
		{"port out of range", "https://example.com:70000/", "", "port"},
		{"own host", "https://sho.rt/abc", "", "self"},
		{"own host any port", "http://sho.rt:8080/abc", "", "self"},
		{"own host in capitals", "https://SHO.RT/abc", "", "self"},
		{"own host with a trailing dot", "https://sho.rt./abc", "", "self"},
		{"own host with a port", "https://gatehouse.example:8443/x", "", "self"},
		{"own host name on another port", "https://gatehouse.example/x", "https://gatehouse.example/x", ""},
		{"own IPv6 host", "http://[2001:db8:0::1]/", "", "self"},
		{"subdomain of an own host", "https://a.sho.rt/", "https://a.sho.rt/", ""},
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

func TestPolicy(t *testing.T) {
	if got := (links.Policy{}).WithDefaults().AliasLength; got != links.DefaultAliasLength {
		t.Fatalf("default alias length %d", got)
	}
	tests := []struct {
		name  string
		p     links.Policy
		field string // "" means valid
		rule  string
	}{
		{"defaults", links.Policy{}, "", ""},
		{"own hosts", links.Policy{OwnHosts: []string{"sho.rt", "localhost:8080", "[::1]:80", "Bücher.example"}}, "", ""},
		{"alias too short", links.Policy{AliasLength: 3}, "links.alias_length", "range"},
		{"alias too long", links.Policy{AliasLength: 65}, "links.alias_length", "range"},
		{"own host with a scheme", links.Policy{OwnHosts: []string{"https://sho.rt"}}, "links.own_hosts", "format"},
		{"own host with a path", links.Policy{OwnHosts: []string{"sho.rt/x"}}, "links.own_hosts", "format"},
		{"own host bad port", links.Policy{OwnHosts: []string{"sho.rt:0"}}, "links.own_hosts", "format"},
		{"empty own host", links.Policy{OwnHosts: []string{""}}, "links.own_hosts", "format"},
		{"reserved words", links.Policy{Reserved: links.FirstSegments("/go", "/api/v2")}, "", ""},
		{"empty reserved word", links.Policy{Reserved: []string{""}}, "links.reserved", "format"},
		{"reserved path, not a word", links.Policy{Reserved: []string{"go/x"}}, "links.reserved", "format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.WithDefaults().Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			wantFieldRule(t, err, tt.field, tt.rule)
		})
	}
}
