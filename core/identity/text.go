package identity

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"gatehouse/core/fault"
)

// HandleKey returns the one form of a login or email address under which
// it is stored, looked up and kept unique, so that spellings a person
// cannot tell apart are one handle: Unicode compatibility normalisation
// (NFKC: full-width "ａｄａ" is "ada", composed and decomposed "café" are
// one), full case folding, and the ideographic full stops that domain
// names read as "." mapped to it; punycode labels of an email domain are
// decoded, so "xn--80akhbyknj4f.xn--p1ai" and "пример.рф" are one. The
// result is in NFC (NFKC is) and HandleKey(HandleKey(s)) == HandleKey(s).
//
// The handle is stored in this folded form rather than beside it: stores
// index the stored handle, and comparing any other way would let two
// accounts hold one look-alike address. The fold keeps "ß" and the final
// "ς", as IDNA2008 does for domain names, because they change where mail
// goes: straße.de and strasse.de are different domains. Control and
// format characters are left for the validators to refuse.
func HandleKey(s string) string {
	s = norm.NFKC.String(s)
	s = strings.Map(func(r rune) rune {
		if r == '\u3002' || r == '\uff61' {
			return '.'
		}
		return r
	}, s)
	s = foldCase(s)
	if local, domain, ok := strings.Cut(s, "@"); ok && strings.Contains(domain, "xn--") {
		s = local + "@" + decodeDomain(domain)
	}
	// Folding can yield compatibility forms again (as NFKC_Casefold
	// allows for): normalising once more makes the key stable.
	return norm.NFKC.String(s)
}

// decodeDomain turns the punycode labels of domain into Unicode, leaving
// the domain as it is unless every label is valid IDNA2008: a label that
// only decodes loosely would not name the domain mail is sent to.
func decodeDomain(domain string) string {
	u, err := idna.Lookup.ToUnicode(domain)
	if err != nil {
		return domain
	}
	return u
}

// foldCase applies Unicode full case folding to s, with two exceptions
// that foldRune handles: the letters IDNA2008 keeps distinct, and
// Cherokee, which x/text/cases folds back and forth (lower to upper and
// upper to lower) where Unicode folds it to upper case only.
func foldCase(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexFunc(s, func(r rune) bool { _, own := foldRune(r); return own })
		if i < 0 {
			// A Caser keeps state between calls: one per use.
			b.WriteString(cases.Fold().String(s))
			return b.String()
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		b.WriteString(cases.Fold().String(s[:i]))
		r, _ = foldRune(r)
		b.WriteRune(r)
		s = s[i+n:]
	}
}

// foldRune folds the runes foldCase does not leave to x/text: own is false
// for every other rune.
func foldRune(r rune) (folded rune, own bool) {
	switch {
	case r == 'ß' || r == 'ẞ':
		return 'ß', true
	case r == 'ς':
		return r, true
	case r >= 0x13A0 && r <= 0x13F5: // Cherokee capitals fold to themselves
		return r, true
	case r >= 0x13F8 && r <= 0x13FD:
		return r - 8, true
	case r >= 0xAB70 && r <= 0xABBF:
		return r - 0xAB70 + 0x13A0, true
	}
	return r, false
}

// hiddenRune reports whether r is a control (Unicode category Cc) or
// format character (Cf): bidi overrides and isolates, zero-width space,
// joiner and non-joiner, byte order mark, soft hyphen. None is visible in
// an identifier or a name, so each lets one string pass for another
// ("moc.elpmaxe@ada" shown reversed, "ada" with a zero-width space).
func hiddenRune(r rune) bool {
	return unicode.In(r, unicode.Cc, unicode.Cf)
}

// checkText refuses text for field that is not valid UTF-8 or holds a
// hiddenRune, except for the runes in allow (a description may hold line
// breaks and tabs): fault.Invalid with rule "format" and label, the
// field's name for people, in the message.
func checkText(field, label, v, allow string) error {
	bad := strings.IndexFunc(v, func(r rune) bool { return hiddenRune(r) && !strings.ContainsRune(allow, r) })
	if !utf8.ValidString(v) || bad >= 0 {
		return fault.Invalidf(field, "format",
			"%s must not contain control or invisible formatting characters (such as bidi overrides or zero-width spaces)", label)
	}
	return nil
}
