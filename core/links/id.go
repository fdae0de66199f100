package links

import (
	"encoding/base64"
	"fmt"
)

// IDBytes is how many random bytes make a link ID: 96 bits, so IDs never
// collide in practice (the store still refuses a taken one).
const IDBytes = 12

// NewID turns at least IDBytes random bytes into a link ID (16 base64url
// characters).
func NewID(random []byte) (string, error) {
	if len(random) < IDBytes {
		return "", fmt.Errorf("links: id needs %d random bytes, got %d", IDBytes, len(random))
	}
	return base64.RawURLEncoding.EncodeToString(random[:IDBytes]), nil
}
