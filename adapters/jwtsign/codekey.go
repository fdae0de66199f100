package jwtsign

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"sync"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// codeKeyInfo labels the key derived for one-time codes, so it is
// independent of every other use of the same material.
const codeKeyInfo = "gatehouse one-time code key v1"

// CodeKeys is the ports.CodeKeys of a deployment: the key one-time codes
// are hashed under, the same on every replica. It is derived (HKDF-SHA256)
// from, in order of preference:
//
//   - a configured secret (passwordless.code_secret), at least 32 bytes;
//   - the first configured private key file (tokens.key_files);
//   - the private key of the first signing key ever generated, as the key
//     store keeps it: the lowest generation, which rotation retires but
//     never deletes, so the code key outlives every rotation.
//
// A derived key is read once, at first use (constructors do no I/O), and
// then kept.
type CodeKeys struct {
	store ports.KeyStore
	file  string

	mu  sync.Mutex
	key []byte
}

var _ ports.CodeKeys = (*CodeKeys)(nil)

// NewCodeKeys returns the code key source; store is read only when neither
// secret nor files are given.
func NewCodeKeys(secret string, files []string, store ports.KeyStore) (*CodeKeys, error) {
	switch {
	case secret != "":
		if len(secret) < identity.MinCodeKeyBytes {
			return nil, fmt.Errorf("jwtsign: code secret has %d bytes, want at least %d", len(secret), identity.MinCodeKeyBytes)
		}
		return derived([]byte(secret))
	case len(files) > 0:
		return &CodeKeys{file: files[0]}, nil
	case store == nil:
		return nil, errors.New("jwtsign: code key: no secret, key file or key store")
	}
	return &CodeKeys{store: store}, nil
}

func derived(material []byte) (*CodeKeys, error) {
	k, err := hkdf.Key(sha256.New, material, nil, codeKeyInfo, 32)
	if err != nil {
		return nil, fmt.Errorf("jwtsign: derive code key: %w", err)
	}
	return &CodeKeys{key: k}, nil
}

// CodeKey implements ports.CodeKeys. Before any signing key is stored (the
// signer generates one when the app starts) it is fault.Unavailable
// jwtsign.no_code_key.
func (c *CodeKeys) CodeKey(ctx context.Context) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.key != nil {
		return c.key, nil
	}
	if c.file != "" {
		pem, err := os.ReadFile(c.file)
		if err != nil {
			return nil, fmt.Errorf("jwtsign: code key: %w", err)
		}
		d, err := derived(pem)
		if err != nil {
			return nil, err
		}
		c.key = d.key
		return c.key, nil
	}
	keys, err := c.store.Keys(ctx)
	if err != nil {
		return nil, fmt.Errorf("jwtsign: code key: %w", err)
	}
	if len(keys) == 0 {
		return nil, fault.New(fault.Unavailable, "jwtsign.no_code_key", "The server's keys are not ready yet; try again.")
	}
	first := keys[len(keys)-1] // Keys is highest generation first
	for _, k := range keys {
		if k.Generation < first.Generation {
			first = k
		}
	}
	d, err := derived(first.PrivatePEM)
	if err != nil {
		return nil, err
	}
	c.key = d.key
	return c.key, nil
}
