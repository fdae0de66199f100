package identity

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
)

// Sizes of one-time secrets.
const (
	// CodeDigits is the length of a numeric code: 10^8 values, about 26.6
	// bits, for codes a person types and that are bound to one target.
	CodeDigits = 8
	// CodeRandomBytes is how many random bytes make one code. 64 bits
	// reduced modulo 10^8 leave a bias below 10^-11: no digit is favoured.
	CodeRandomBytes = 8
	// TokenRandomBytes is how many random bytes make one link token: 256
	// bits, unguessable even when any user's token is accepted.
	TokenRandomBytes = 32
)

// codeModulus is 10^CodeDigits.
const codeModulus = 100_000_000

// CodeFromRandom turns CodeRandomBytes random bytes into a CodeDigits-digit
// decimal code, leading zeros kept.
func CodeFromRandom(b []byte) (string, error) {
	if len(b) != CodeRandomBytes {
		return "", fmt.Errorf("identity: code needs %d random bytes, got %d", CodeRandomBytes, len(b))
	}
	return fmt.Sprintf("%0*d", CodeDigits, binary.BigEndian.Uint64(b)%codeModulus), nil
}

// TokenFromRandom turns TokenRandomBytes random bytes into a link token:
// unpadded base64url, safe in a URL path without escaping.
func TokenFromRandom(b []byte) (string, error) {
	if len(b) != TokenRandomBytes {
		return "", fmt.Errorf("identity: token needs %d random bytes, got %d", TokenRandomBytes, len(b))
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// HashSecret returns the hex SHA-256 of a one-time secret: the form that is
// stored and used as the challenge's ID. A fast hash suffices: the secrets
// are random (not chosen by people) and live for minutes.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
