package identity

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
)

// Sizes of one-time secrets (the codes people type are in otp.go).
const (
	// TokenRandomBytes is how many random bytes make one link token: 256
	// bits, unguessable even when any user's token is accepted.
	TokenRandomBytes = 32
)

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
