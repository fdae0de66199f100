package jwtsign

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"gatehouse/core/sessions"
)

// errNoSigningKey means no stored key may sign with the configured algorithm.
var errNoSigningKey = errors.New("jwtsign: no usable signing key")

// verifyKey is one parsed public key and the only algorithm it accepts.
type verifyKey struct {
	alg      jose.SignatureAlgorithm
	pub      crypto.PublicKey
	notAfter time.Time // zero: no end
}

// usableAt reports whether the key may still verify at now.
func (v verifyKey) usableAt(now time.Time) bool {
	return v.notAfter.IsZero() || now.Before(v.notAfter)
}

// verify checks sig over input with the primitive of the key's algorithm
// (for ES256 the JWS form: r and s as 32 big-endian bytes each).
func (v verifyKey) verify(input, sig []byte) bool {
	switch k := v.pub.(type) {
	case ed25519.PublicKey:
		return v.alg == jose.EdDSA && ed25519.Verify(k, input, sig)
	case *ecdsa.PublicKey:
		if v.alg != jose.ES256 || len(sig) != 64 {
			return false
		}
		h := sha256.Sum256(input)
		return ecdsa.Verify(k, h[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:]))
	case *rsa.PublicKey:
		h := sha256.Sum256(input)
		return v.alg == jose.RS256 && rsa.VerifyPKCS1v15(k, crypto.SHA256, h[:], sig) == nil
	}
	return false
}

// keyring is an immutable snapshot of the keys: it is swapped whole through
// an atomic pointer, so Sign and Verify never lock and never touch storage.
type keyring struct {
	signKID   string
	signer    jose.Signer
	publicPEM []byte
	byKID     map[string]verifyKey
	order     []string                  // kids in the order the JWKS lists them
	algs      []jose.SignatureAlgorithm // exactly the algorithms of known keys
	headers   map[string]string         // protected header as Sign writes it -> kid
}

// buildRing parses the keys still usable at now and picks the signing key:
// the highest unretired generation of alg.
// Keys for other algorithms verify but never sign here, so replicas
// configured differently during a change of algorithm do not fight over
// generations.
func buildRing(stored []sessions.SigningKey, alg string, now time.Time) (*keyring, error) {
	r := &keyring{byKID: make(map[string]verifyKey, len(stored))}
	for i := range stored {
		k := &stored[i]
		if !k.NotAfter.IsZero() && !now.Before(k.NotAfter) {
			continue
		}
		pub, err := parsePublicPEM(k.PublicPEM)
		if err != nil {
			return nil, fmt.Errorf("jwtsign: key %s: %w", k.ID, err)
		}
		if got, err := algorithmOf(pub); err != nil || got != k.Algorithm {
			return nil, fmt.Errorf("jwtsign: key %s: stored as %s, key is %s: %v", k.ID, k.Algorithm, got, err)
		}
		r.add(k.ID, k.Algorithm, pub, k.NotAfter)
	}
	signWith := current(stored, alg)
	if signWith == nil || !signWith.NotAfter.IsZero() && !now.Before(signWith.NotAfter) {
		return nil, errNoSigningKey
	}
	priv, err := parsePrivatePEM(signWith.PrivatePEM)
	if err != nil {
		return nil, fmt.Errorf("jwtsign: key %s: %w", signWith.ID, err)
	}
	if err := r.setSigner(signWith.ID, alg, priv); err != nil {
		return nil, err
	}
	if err := r.indexHeaders(); err != nil {
		return nil, err
	}
	return r, nil
}

// fileRing builds a keyring from private keys read from files; the first signs.
func fileRing(privs []crypto.Signer) (*keyring, error) {
	r := &keyring{byKID: make(map[string]verifyKey, len(privs))}
	for i, p := range privs {
		alg, err := algorithmOf(p.Public())
		if err != nil {
			return nil, err
		}
		kid, err := keyID(p.Public())
		if err != nil {
			return nil, err
		}
		r.add(kid, alg, p.Public(), time.Time{})
		if i == 0 {
			if err := r.setSigner(kid, alg, p); err != nil {
				return nil, err
			}
		}
	}
	if r.signer == nil {
		return nil, errNoSigningKey
	}
	if err := r.indexHeaders(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *keyring) add(kid, alg string, pub crypto.PublicKey, notAfter time.Time) {
	if _, dup := r.byKID[kid]; dup {
		return
	}
	a := jose.SignatureAlgorithm(alg)
	r.byKID[kid] = verifyKey{alg: a, pub: pub, notAfter: notAfter}
	r.order = append(r.order, kid)
	for _, have := range r.algs {
		if have == a {
			return
		}
	}
	r.algs = append(r.algs, a)
}

func (r *keyring) setSigner(kid, alg string, priv crypto.Signer) error {
	opts := (&jose.SignerOptions{}).WithType("JWT")
	s, err := jose.NewSigner(jose.SigningKey{
		Algorithm: jose.SignatureAlgorithm(alg),
		Key:       jose.JSONWebKey{Key: priv, KeyID: kid, Algorithm: alg},
	}, opts)
	if err != nil {
		return fmt.Errorf("jwtsign: signer for key %s: %w", kid, err)
	}
	pemBytes, err := publicPEM(priv.Public())
	if err != nil {
		return err
	}
	r.signKID, r.signer, r.publicPEM = kid, s, pemBytes
	return nil
}

// jwks lists every key that may verify at now.
func (r *keyring) jwks(now time.Time) jose.JSONWebKeySet {
	set := jose.JSONWebKeySet{Keys: make([]jose.JSONWebKey, 0, len(r.order))}
	for _, kid := range r.order {
		v := r.byKID[kid]
		if v.usableAt(now) {
			set.Keys = append(set.Keys, jose.JSONWebKey{Key: v.pub, KeyID: kid, Algorithm: string(v.alg), Use: "sig"})
		}
	}
	return set
}
