package links_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/links"
)

func TestNewAlias(t *testing.T) {
	tests := []struct {
		name    string
		random  []byte
		n       int
		want    string
		wantErr error
	}{
		{"maps bytes to base62", []byte{0, 1, 10, 36, 61, 62, 247}, 7, "01Aaz0z", nil},
		{"skips bytes at or above 248", []byte{248, 255, 0, 250, 1, 2}, 3, "012", nil},
		{"runs out", []byte{1, 2, 255, 255}, 3, "", links.ErrShortRandom},
		{"reserved word refused", indexes(t, "healthz"), 7, "", links.ErrReservedAlias},
		{"reserved in any case", indexes(t, "ApI"), 3, "", links.ErrReservedAlias},
		{"prefix of a longer draw", indexes(t, "apix"), 3, "", links.ErrReservedAlias},
		{"not reserved", indexes(t, "apix"), 4, "apix", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := links.NewAlias(tt.random, tt.n)
			if !errors.Is(err, tt.wantErr) || got != tt.want {
				t.Fatalf("NewAlias = %q, %v; want %q, %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// indexes returns the bytes that NewAlias maps to s.
func indexes(tb testing.TB, s string) []byte {
	tb.Helper()
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	out := make([]byte, len(s))
	for i := range s {
		j := strings.IndexByte(alphabet, s[i])
		if j < 0 {
			tb.Fatalf("%q is not base62", s[i])
		}
		out[i] = byte(j)
	}
	return out
}

func TestNewAliasLengthBounds(t *testing.T) {
	for _, n := range []int{0, 2, 65} {
		if _, err := links.NewAlias(bytes.Repeat([]byte{1}, 200), n); err == nil {
			t.Fatalf("NewAlias of length %d: nil error", n)
		}
	}
}

// TestNewAliasUniform feeds every byte value once and checks that each of
// the 62 symbols comes from exactly 4 of them and the 8 others are skipped:
// that is what makes generated aliases unbiased.
func TestNewAliasUniform(t *testing.T) {
	perSymbol := map[byte]int{}
	skipped := 0
	for b := range 256 {
		a, err := links.NewAlias([]byte{byte(b), byte(b), byte(b)}, 3)
		if errors.Is(err, links.ErrShortRandom) {
			skipped++
			continue
		}
		if err != nil {
			t.Fatalf("byte %d: %v", b, err)
		}
		perSymbol[a[0]]++
	}
	if len(perSymbol) != 62 || skipped != 8 {
		t.Fatalf("%d distinct symbols and %d skipped bytes, want 62 and 8", len(perSymbol), skipped)
	}
	for s, n := range perSymbol {
		if n != 4 {
			t.Fatalf("symbol %q comes from %d byte values, want 4", s, n)
		}
	}
}

func TestValidateAlias(t *testing.T) {
	// The deployment reserves its prefixes' words on top of the built-in ones.
	p := links.Policy{Reserved: []string{"go", "Links"}}
	tests := []struct {
		alias string
		rule  string // "" means valid
	}{
		{"links", "reserved"},
		{"LINKS", "reserved"},
		{"linkss", ""},
		{"got", ""},
		{"abc", ""},
		{"My_Link-2025", ""},
		{strings.Repeat("x", 64), ""},
		{"", "required"},
		{"ab", "min_length"},
		{strings.Repeat("x", 65), "max_length"},
		{"has space", "charset"},
		{"slash/y", "charset"},
		{"dot.ted", "charset"},
		{"ünï", "charset"},
		{"auth", "reserved"},
		{"USERS", "reserved"},
		{"Healthz", "reserved"},
		{"well-known", "reserved"},
		{"register", "reserved"},
		{"registers", ""},
	}
	for _, tt := range tests {
		t.Run(tt.alias, func(t *testing.T) {
			err := p.ValidateAlias(tt.alias)
			wantFieldRule(t, err, "alias", tt.rule)
		})
	}
}

func TestPolicyReserves(t *testing.T) {
	tests := []struct {
		name  string
		p     links.Policy
		alias string
		want  bool
	}{
		{"built-in", links.Policy{}, "urls", true},
		{"built-in in any case", links.Policy{}, "OpenAPI", true},
		{"not reserved", links.Policy{}, "shorty", false},
		{"extra word", links.Policy{Reserved: []string{"go"}}, "go", true},
		{"extra word in any case", links.Policy{Reserved: []string{"Go"}}, "gO", true},
		{"extra word is whole", links.Policy{Reserved: []string{"go"}}, "gopher", false},
		{"built-in kept with extras", links.Policy{Reserved: []string{"go"}}, "auth", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Reserves(tt.alias); got != tt.want {
				t.Fatalf("Reserves(%q) = %v, want %v", tt.alias, got, tt.want)
			}
		})
	}
}

func TestFirstSegments(t *testing.T) {
	tests := []struct {
		name  string
		paths []string
		want  []string
	}{
		{"none", nil, nil},
		{"root prefixes give nothing", []string{"", "/"}, nil},
		{"one segment", []string{"/r"}, []string{"r"}},
		{"first of several", []string{"/api/v2"}, []string{"api"}},
		{"each path", []string{"/go", "", "/links/x"}, []string{"go", "links"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := links.FirstSegments(tt.paths...); !slices.Equal(got, tt.want) {
				t.Fatalf("FirstSegments(%q) = %q, want %q", tt.paths, got, tt.want)
			}
		})
	}
}

// wantFieldRule fails tb unless err is nil (rule "") or a fault.Invalid on
// field breaking rule.
func wantFieldRule(tb testing.TB, err error, field, rule string) {
	tb.Helper()
	if rule == "" {
		if err != nil {
			tb.Fatalf("got %v, want nil", err)
		}
		return
	}
	fe, ok := fault.As(err)
	if !ok || fe.Code != fault.Invalid || len(fe.Fields) != 1 {
		tb.Fatalf("got %v, want fault.Invalid on %s", err, field)
	}
	if f := fe.Fields[0]; f.Field != field || f.Rule != rule || f.Message == "" {
		tb.Fatalf("field error %+v, want field %q rule %q and a message", f, field, rule)
	}
}
