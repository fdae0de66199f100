package passhash

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

const argon2idPrefix = "$argon2id$"

// Bounds on parameters read from a stored hash, so a corrupt or hostile
// record cannot make one verify allocate gigabytes or spin for minutes.
const (
	maxMemory  = 1 << 20 // KiB: 1 GiB
	maxTime    = 64
	minSaltLen = 8
	maxSaltLen = 64
	minKeyLen  = 16
	maxKeyLen  = 128
)

// params are the argon2id parameters of one hash.
type params struct {
	memory  uint32 // KiB
	time    uint32
	threads uint8
	saltLen uint32
	keyLen  uint32
}

func (p params) check() error {
	switch {
	case p.threads < 1:
		return errors.New("argon2id threads must be at least 1")
	case p.memory < 8*uint32(p.threads) || p.memory > maxMemory:
		return fmt.Errorf("argon2id memory %d KiB is outside %d..%d", p.memory, 8*uint32(p.threads), maxMemory)
	case p.time < 1 || p.time > maxTime:
		return fmt.Errorf("argon2id time %d is outside 1..%d", p.time, maxTime)
	case p.saltLen < minSaltLen || p.saltLen > maxSaltLen:
		return fmt.Errorf("argon2id salt length %d is outside %d..%d", p.saltLen, minSaltLen, maxSaltLen)
	case p.keyLen < minKeyLen || p.keyLen > maxKeyLen:
		return fmt.Errorf("argon2id key length %d is outside %d..%d", p.keyLen, minKeyLen, maxKeyLen)
	}
	return nil
}

// weakerThan reports whether a hash made with p costs an attacker less
// than one made with cur. Lanes are not compared: they change how the work
// is spread, not how much there is.
func (p params) weakerThan(cur params) bool {
	return p.memory < cur.memory || p.time < cur.time || p.saltLen < cur.saltLen || p.keyLen < cur.keyLen
}

// encode returns the PHC string of an argon2id hash.
func (p params) encode(salt, key []byte) string {
	return fmt.Sprintf("%sv=%d$m=%d,t=%d,p=%d$%s$%s", argon2idPrefix, argon2Version,
		p.memory, p.time, p.threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// argon2Version is the only version golang.org/x/crypto/argon2 computes (0x13).
const argon2Version = 19

func isArgon2id(hash string) bool { return strings.HasPrefix(hash, argon2idPrefix) }

// parseArgon2id reads "$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<key>"
// with unpadded standard base64, as the reference implementation writes it.
func parseArgon2id(hash string) (params, []byte, []byte, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return params{}, nil, nil, errors.New("argon2id: want $argon2id$v=19$m=,t=,p=$salt$hash")
	}
	if parts[2] != "v="+strconv.Itoa(argon2Version) {
		return params{}, nil, nil, fmt.Errorf("argon2id: unsupported version %q", parts[2])
	}
	var p params
	kv := strings.Split(parts[3], ",")
	if len(kv) != 3 {
		return params{}, nil, nil, fmt.Errorf("argon2id: want m, t and p, got %d parameters", len(kv))
	}
	for i, name := range []string{"m", "t", "p"} {
		v, ok := strings.CutPrefix(kv[i], name+"=")
		if !ok {
			return params{}, nil, nil, fmt.Errorf("argon2id: parameter %d must be %s=", i+1, name)
		}
		bits := 32
		if name == "p" {
			bits = 8
		}
		n, err := strconv.ParseUint(v, 10, bits)
		if err != nil {
			return params{}, nil, nil, fmt.Errorf("argon2id: parameter %s: %w", name, err)
		}
		switch name {
		case "m":
			p.memory = uint32(n)
		case "t":
			p.time = uint32(n)
		case "p":
			p.threads = uint8(n)
		}
	}
	salt, err := base64.RawStdEncoding.Strict().DecodeString(parts[4])
	if err != nil {
		return params{}, nil, nil, fmt.Errorf("argon2id: salt: %w", err)
	}
	key, err := base64.RawStdEncoding.Strict().DecodeString(parts[5])
	if err != nil {
		return params{}, nil, nil, fmt.Errorf("argon2id: hash: %w", err)
	}
	p.saltLen, p.keyLen = uint32(len(salt)), uint32(len(key))
	if err := p.check(); err != nil {
		return params{}, nil, nil, err
	}
	return p, salt, key, nil
}

func (h *Hasher) verifyArgon2id(ctx context.Context, hash, password string) (ok, rehash bool, err error) {
	p, salt, want, err := parseArgon2id(hash)
	if err != nil {
		return false, false, malformed(err)
	}
	release, err := h.acquire(ctx)
	if err != nil {
		return false, false, err
	}
	got := h.argon([]byte(password), salt, p.time, p.memory, p.threads, p.keyLen)
	release()
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return false, false, nil
	}
	return true, p.weakerThan(h.current()), nil
}
