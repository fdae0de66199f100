package identity

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The stem rule: "Summer2024!" is "summer" with a year and a symbol put
// after it, the change people make when a site refuses the word alone, and
// the first one cracking rules try. So a password is also looked up with
// the run of digits, symbols and spaces at its end (and then at its start)
// taken off, but only when
//   - what is left, the stem, has at least minStemRunes characters: every
//     short word is in a breach list, and "Love#83521970" is not weak
//     merely because "love" is common;
//   - what was taken off has at most maxStrippedRunes characters: a year
//     and two symbols, or "123!", are guessed with the word; a long random
//     tail is not.
//
// Passphrases ("correct horse battery") end in a letter, so the rule never
// shortens them to one of their words.
const (
	minStemRunes     = 4
	maxStrippedRunes = 6
)

// unleet maps the character swaps people make ("p@ssw0rd") back to the
// letters they stand for. '1', '!' and '|' read as i, or as l when el is
// set.
func unleet(el bool) func(rune) rune {
	return func(r rune) rune {
		switch r {
		case '@', '4':
			return 'a'
		case '8':
			return 'b'
		case '3':
			return 'e'
		case '6', '9':
			return 'g'
		case '1', '!', '|':
			if el {
				return 'l'
			}
			return 'i'
		case '0':
			return 'o'
		case '5', '$':
			return 's'
		case '7', '+':
			return 't'
		case '2':
			return 'z'
		}
		return r
	}
}

// commonForms returns the forms of password that are looked up in the
// breached-password list: the password lower-cased, its stems (see the
// stem rule above), and each of those with the character swaps of leet
// undone. Any form being an entry makes the password common.
func commonForms(password string) []string {
	lower := strings.ToLower(password)
	forms := []string{lower}
	n := utf8.RuneCountInString(lower)
	trail := strings.TrimRightFunc(lower, notLetter)
	if stem(trail, n) {
		forms = append(forms, trail)
	}
	if both := strings.TrimLeftFunc(trail, notLetter); both != trail && stem(both, n) {
		forms = append(forms, both)
	}
	for _, f := range forms {
		forms = appendLeet(forms, f)
	}
	return forms
}

// stem reports whether s, cut from a password of n characters, passes the
// stem rule.
func stem(s string, n int) bool {
	k := utf8.RuneCountInString(s)
	return k < n && k >= minStemRunes && n-k <= maxStrippedRunes
}

// appendLeet appends the readings of s with leet undone, when they differ
// from s.
func appendLeet(forms []string, s string) []string {
	if a := strings.Map(unleet(false), s); a != s {
		forms = append(forms, a)
		if b := strings.Map(unleet(true), s); b != a {
			forms = append(forms, b)
		}
	}
	return forms
}

// leetForms returns s and its readings with leet undone.
func leetForms(s string) []string {
	return appendLeet([]string{s}, s)
}

func notLetter(r rune) bool { return !unicode.IsLetter(r) }
