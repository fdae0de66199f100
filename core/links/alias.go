package links

import (
	"errors"
	"fmt"
	"strings"
)

// Bounds of aliases, in bytes (aliases are ASCII).
const (
	MinAliasLength = 3
	MaxAliasLength = 64
	// DefaultAliasLength gives 62^7 ≈ 3.5e12 generated aliases: a store
	// of ten million links collides on about one draw in 350,000.
	DefaultAliasLength = 7
)

// base62 is the alphabet of generated aliases.
const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// acceptBelow is the largest multiple of 62 that fits in a byte: bytes at
// or above it are skipped, so every symbol is equally likely (a plain
// b%62 would favour the first 8 symbols by 5/4).
const acceptBelow = 256 / len(base62) * len(base62) // 248

// ErrShortRandom means the random bytes given ran out before the alias was
// complete (too many were skipped); draw more and try again.
var ErrShortRandom = errors.New("links: not enough random bytes for an alias")

// ErrReservedAlias means a generated alias happened to be a reserved word;
// draw again.
var ErrReservedAlias = errors.New("links: generated alias is a reserved word")

// reserved are gatehouse's own route words: an alias equal to one of them,
// in any case, would shadow a route or be shadowed by it.
var reserved = map[string]struct{}{
	"auth": {}, "users": {}, "urls": {}, "v1": {}, "account": {}, "info": {},
	"api": {}, "status": {}, "healthz": {}, "readyz": {}, "metrics": {},
	"openapi": {}, "well-known": {}, ".well-known": {}, "static": {},
	"admin": {}, "login": {}, "logout": {}, "register": {},
}

// maxReservedLength is the length of the longest reserved word.
const maxReservedLength = len(".well-known")

// Reserved reports whether alias is one of gatehouse's built-in route
// words, compared case-insensitively. It does not allocate: it runs on
// every redirect. Policy.Reserves adds the deployment's own words.
func Reserved(alias string) bool {
	if len(alias) > maxReservedLength {
		return false
	}
	var lower [maxReservedLength]byte
	for i := 0; i < len(alias); i++ {
		c := alias[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	_, ok := reserved[string(lower[:len(alias)])]
	return ok
}

// AliasRandomBytes is how many random bytes NewAlias should get for an
// alias of length n: twice n leaves room for skipped bytes, so that
// ErrShortRandom is a one-in-a-billion event for the default length.
func AliasRandomBytes(n int) int { return 2 * n }

// NewAlias turns random bytes into a base62 alias of length n, with every
// symbol uniformly distributed. ErrShortRandom when random runs out;
// ErrReservedAlias when the result is a reserved word.
func NewAlias(random []byte, n int) (string, error) {
	if n < MinAliasLength || n > MaxAliasLength {
		return "", fmt.Errorf("links: alias length %d outside %d..%d", n, MinAliasLength, MaxAliasLength)
	}
	out := make([]byte, 0, n)
	for _, b := range random {
		if int(b) >= acceptBelow {
			continue
		}
		out = append(out, base62[int(b)%len(base62)])
		if len(out) == n {
			if Reserved(string(out)) {
				return "", ErrReservedAlias
			}
			return string(out), nil
		}
	}
	return "", ErrShortRandom
}

// Reserves reports whether alias is a route word: a built-in one or one of
// p.Reserved, compared case-insensitively. It does not allocate.
func (p Policy) Reserves(alias string) bool {
	if Reserved(alias) {
		return true
	}
	for _, w := range p.Reserved {
		if strings.EqualFold(w, alias) {
			return true
		}
	}
	return false
}

// ValidateAlias checks a custom alias: 3..64 of A-Z, a-z, 0-9, "_" and
// "-", and not a word p reserves. fault.Invalid on field "alias".
func (p Policy) ValidateAlias(alias string) error {
	switch {
	case alias == "":
		return invalid("alias", "required", "alias is required")
	case len(alias) < MinAliasLength:
		return invalid("alias", "min_length", fmt.Sprintf("alias must be at least %d characters", MinAliasLength))
	case len(alias) > MaxAliasLength:
		return invalid("alias", "max_length", fmt.Sprintf("alias must be at most %d characters", MaxAliasLength))
	case strings.IndexFunc(alias, badAliasRune) >= 0:
		return invalid("alias", "charset", "alias may contain only letters A-Z and a-z, digits, \"_\" and \"-\"")
	case p.Reserves(alias):
		return invalid("alias", "reserved", fmt.Sprintf("alias %q is reserved", alias))
	}
	return nil
}

func badAliasRune(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
		return false
	}
	return true
}
