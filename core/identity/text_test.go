package identity_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"gatehouse/core/identity"
)

// The look-alikes of issue 7, item 11, and more of their kind: spellings a
// person cannot tell apart that must be one handle.
func TestHandleKeyLookAlikes(t *testing.T) {
	tests := []struct{ name, a, b string }{
		{"composed and decomposed", "caf\u00e9@example.com", "cafe\u0301@example.com"},
		{"full-width letters", "\uff41\uff44\uff41@example.com", "ada@example.com"},
		{"full-width everything", "\uff21\uff24\uff21\uff20\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45\uff0e\uff43\uff4f\uff4d", "ada@example.com"},
		{"upper case", "ADA@Example.COM", "ada@example.com"},
		{"ideographic full stop in the domain", "ada@mail.example\u3002com", "ada@mail.example.com"},
		{"half-width ideographic full stop", "ada@mail.example\uff61com", "ada@mail.example.com"},
		{"ligature", "\ufb01sh@example.com", "fish@example.com"},
		{"long s", "\u017fam@example.com", "sam@example.com"},
		{"mathematical bold", "\U0001d41a\U0001d41d\U0001d41a", "ada"},
		{"circled letters", "\u24d0\u24d3\u24d0", "ada"},
		{"Cyrillic in any case", "ИВАН@ПРИМЕР.РФ", "иван@пример.рф"},
		{"decomposed ё", "\u0435\u0308ж@example.com", "\u0451ж@example.com"},
		{"punycode domain", "ivan@xn--e1afmkfd.xn--p1ai", "ivan@пример.рф"},
		{"upper-case punycode", "ivan@XN--E1AFMKFD.XN--P1AI", "ivan@пример.рф"},
		{"capital sharp s", "STRA\u1e9eE@example.de", "straße@example.de"},
		{"login", " Alice ", "alice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := identity.NormalizeEmail(tt.a), identity.NormalizeEmail(tt.b)
			if a != b {
				t.Fatalf("NormalizeEmail: %q gives %q, %q gives %q; want one key", tt.a, a, tt.b, b)
			}
			if l := identity.NormalizeLogin(tt.a); l != a {
				t.Fatalf("NormalizeLogin(%q) = %q, NormalizeEmail gives %q", tt.a, l, a)
			}
		})
	}
}

// TestHandleKeyKeepsDistinct checks what the fold must not merge: letters
// IDNA2008 keeps apart send mail elsewhere.
func TestHandleKeyKeepsDistinct(t *testing.T) {
	tests := []struct{ name, a, b string }{
		{"sharp s in a domain", "a@straße.de", "a@strasse.de"},
		{"final sigma", "ς@example.gr", "σ@example.gr"},
		{"plus tag", "ada+x@example.com", "ada@example.com"},
		{"dots", "a.da@example.com", "ada@example.com"},
		{"Latin and Cyrillic a", "ada@example.com", "\u0430da@example.com"},
	}
	for _, tt := range tests {
		if a, b := identity.HandleKey(tt.a), identity.HandleKey(tt.b); a == b {
			t.Errorf("%s: %q and %q both give %q", tt.name, tt.a, tt.b, a)
		}
	}
}

// FuzzHandleKey checks that the key is stable (a stored handle normalises
// to itself, so lookups by it find it) and in NFC.
func FuzzHandleKey(f *testing.F) {
	for _, s := range []string{"ada@example.com", "ＡＤＡ@ＥＸＡＭＰＬＥ.ｃｏｍ", "cafe\u0301", "STRAẞE", "ǰ\u0323", "ΐ", "ﬃ",
		"ᾈ", "İstanbul", "ǅ", "ʼn", "x@xn--e1afmkfd.xn--p1ai", "x@xn--zz", "㎒", "ᏸ", "ꭰ", "\u0345", "ϐϑϕϖϰϱϵ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		k := identity.HandleKey(s)
		if again := identity.HandleKey(k); again != k {
			t.Fatalf("HandleKey(%q) = %q, but HandleKey of that is %q", s, k, again)
		}
		if !norm.NFC.IsNormalString(k) {
			t.Fatalf("HandleKey(%q) = %q is not NFC", s, k)
		}
	})
}

// hidden are control and format characters that let one identifier pass
// for another, one of each kind.
var hidden = []struct{ name, r string }{
	{"right-to-left override", "\u202e"},
	{"left-to-right embedding", "\u202a"},
	{"right-to-left isolate", "\u2067"},
	{"pop directional isolate", "\u2069"},
	{"right-to-left mark", "\u200f"},
	{"zero-width space", "\u200b"},
	{"zero-width joiner", "\u200d"},
	{"zero-width non-joiner", "\u200c"},
	{"word joiner", "\u2060"},
	{"byte order mark", "\ufeff"},
	{"soft hyphen", "\u00ad"},
	{"Arabic letter mark", "\u061c"},
	{"NUL", "\x00"},
	{"escape", "\x1b"},
	{"C1 control", "\u0085"},
}

func TestHiddenCharactersRefused(t *testing.T) {
	today := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, h := range hidden {
		t.Run(h.name, func(t *testing.T) {
			// Seen: an email with U+202E stored, and an address name accepted.
			email := identity.NormalizeEmail("ada" + h.r + "@example.com")
			wantField(t, identity.ValidateEmail(email), "email", "format")
			wantField(t, identity.ValidateEmail("ada@exam"+h.r+"ple.com"), "email", "format")
			wantField(t, identity.ValidateLogin(identity.NormalizeLogin("al"+h.r+"ice")), "login", "format")
			wantField(t, identity.ValidateLogin(email), "login", "format")
			wantField(t, identity.ValidateName("first_name", "An"+h.r+"na"), "first_name", "format")
			_, err := identity.AddAddress(identity.User{}, identity.Address{Name: "cold" + h.r + "wallet", Address: "bc1qxyz"})
			wantField(t, err, "name", "format")
			_, err = identity.AddAddress(identity.User{}, identity.Address{Name: "cold", Address: "bc1q" + h.r + "xyz"})
			wantField(t, err, "address", "format")
			s := func(v string) *string { return &v }
			for field, ch := range map[string]identity.ProfileChange{
				"last_name":   {LastName: s("Pet" + h.r + "rov")},
				"patronymic":  {Patronymic: s("Ivan" + h.r + "ovich")},
				"description": {Description: s("about" + h.r + " me")},
				"avatar":      {Avatar: s("https://x.example/a" + h.r + ".png")},
			} {
				_, err := identity.ApplyProfile(identity.User{}, ch, today)
				wantField(t, err, field, "format")
			}
		})
	}
}

func TestHiddenCharactersMessage(t *testing.T) {
	err := identity.ValidateName("first_name", "Ann\u202ea")
	if !strings.Contains(err.Error(), "first name must not contain control or invisible formatting characters") {
		t.Fatalf("message %q does not say what is wrong", err)
	}
}

// TestVisibleTextAccepted checks that the character rule refuses only
// hidden runes: scripts, accents and a description's line breaks pass.
func TestVisibleTextAccepted(t *testing.T) {
	today := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	s := func(v string) *string { return &v }
	for _, name := range []string{"Фёдор", "Ёлкина", "Zoë", "O'Brien-Smith", "محمد", "דוד", "李小龍", "Nguyễn"} {
		wantField(t, identity.ValidateName("first_name", name), "first_name", "")
	}
	_, err := identity.ApplyProfile(identity.User{}, identity.ProfileChange{Description: s("line one\nline two\r\n\tindented 🙂")}, today)
	wantField(t, err, "description", "")
	wantField(t, identity.ValidateEmail(identity.NormalizeEmail("Ｆёдор@пример.рф")), "email", "")
	wantField(t, identity.ValidateLogin(identity.NormalizeLogin("ＡＤＡ_99")), "login", "")
}
