package passhash

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// bcryptMaxPassword is how many password bytes bcrypt uses. PHP and Laravel
// silently ignore the rest; golang.org/x/crypto/bcrypt refuses longer
// passwords, so they are cut here to verify what PHP hashed.
const bcryptMaxPassword = 72

// bcryptMaxCost bounds the cost read from a stored hash (2^16 rounds is
// seconds of CPU), so a corrupt record cannot hold a slot for hours. PHP
// and Laravel default to 10 and 12.
const bcryptMaxCost = 16

// isBcrypt reports the bcrypt variants gatehouse accepts. $2a$ and $2b$ are
// the same algorithm for passwords under 255 bytes; $2y$ is PHP's name for
// the corrected $2a$, so it is verified as $2a$.
func isBcrypt(hash string) bool {
	return strings.HasPrefix(hash, "$2a$") || strings.HasPrefix(hash, "$2b$") || strings.HasPrefix(hash, "$2y$")
}

// verifyBcrypt checks a bcrypt hash. A match always asks for a rehash:
// bcrypt is only accepted so that imported users can sign in once and be
// moved to argon2id.
func (h *Hasher) verifyBcrypt(ctx context.Context, hash, password string) (ok, rehash bool, err error) {
	if strings.HasPrefix(hash, "$2y$") {
		hash = "$2a$" + hash[len("$2y$"):]
	}
	cost, err := bcrypt.Cost([]byte(hash))
	if err != nil {
		return false, false, malformed(err)
	}
	if cost > bcryptMaxCost {
		return false, false, malformed(fmt.Errorf("bcrypt cost %d is above %d", cost, bcryptMaxCost))
	}
	pw := []byte(password)
	if len(pw) > bcryptMaxPassword {
		pw = pw[:bcryptMaxPassword]
	}
	release, err := h.acquire(ctx)
	if err != nil {
		return false, false, err
	}
	// CompareHashAndPassword compares in constant time.
	err = bcrypt.CompareHashAndPassword([]byte(hash), pw)
	release()
	switch {
	case err == nil:
		return true, true, nil
	case errors.Is(err, bcrypt.ErrMismatchedHashAndPassword):
		return false, false, nil
	default:
		return false, false, malformed(err)
	}
}
