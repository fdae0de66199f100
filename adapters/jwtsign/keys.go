package jwtsign

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
)

// The supported algorithms.
const (
	EdDSA = string(jose.EdDSA)
	ES256 = string(jose.ES256)
	RS256 = string(jose.RS256)
)

// minRSABits is the smallest RSA modulus accepted for RS256 (NIST SP 800-57).
const minRSABits = 2048

// DefaultRSABits is the modulus size of generated RS256 keys unless
// Options.RSABits says otherwise.
const DefaultRSABits = minRSABits

// generate makes a fresh private key for alg from crypto/rand; rsaBits is
// the modulus size of an RS256 key.
func generate(alg string, rsaBits int) (crypto.Signer, error) {
	switch alg {
	case EdDSA:
		_, k, err := ed25519.GenerateKey(rand.Reader)
		return k, err
	case ES256:
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case RS256:
		return rsa.GenerateKey(rand.Reader, max(rsaBits, minRSABits))
	}
	return nil, checkAlgorithm(alg)
}

// algorithmOf names the one algorithm a public key may sign with, refusing
// key types and sizes gatehouse does not accept.
func algorithmOf(pub crypto.PublicKey) (string, error) {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return EdDSA, nil
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() {
			return "", fmt.Errorf("jwtsign: ECDSA curve %s unsupported: want P-256", k.Curve.Params().Name)
		}
		return ES256, nil
	case *rsa.PublicKey:
		if k.N.BitLen() < minRSABits {
			return "", fmt.Errorf("jwtsign: RSA key of %d bits is under %d", k.N.BitLen(), minRSABits)
		}
		return RS256, nil
	}
	return "", fmt.Errorf("jwtsign: unsupported key type %T", pub)
}

// parsePrivatePEM reads the first private key block of a PEM file:
// PKCS#8 "PRIVATE KEY", SEC1 "EC PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY".
// Other blocks (such as the "EC PARAMETERS" openssl writes first) are skipped.
func parsePrivatePEM(data []byte) (crypto.Signer, error) {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return nil, errors.New("jwtsign: no private key PEM block")
		}
		var (
			k   any
			err error
		)
		switch b.Type {
		case "PRIVATE KEY":
			k, err = x509.ParsePKCS8PrivateKey(b.Bytes)
		case "EC PRIVATE KEY":
			k, err = x509.ParseECPrivateKey(b.Bytes)
		case "RSA PRIVATE KEY":
			k, err = x509.ParsePKCS1PrivateKey(b.Bytes)
		default:
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("jwtsign: parse %s: %w", strings.ToLower(b.Type), err)
		}
		s, ok := k.(crypto.Signer)
		if !ok {
			return nil, fmt.Errorf("jwtsign: %T cannot sign", k)
		}
		return s, nil
	}
}

// parsePublicPEM reads a PKIX "PUBLIC KEY" block.
func parsePublicPEM(data []byte) (crypto.PublicKey, error) {
	b, _ := pem.Decode(data)
	if b == nil || b.Type != "PUBLIC KEY" {
		return nil, errors.New("jwtsign: no PUBLIC KEY PEM block")
	}
	pub, err := x509.ParsePKIXPublicKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("jwtsign: parse public key: %w", err)
	}
	return pub, nil
}

// encodePEM returns the PKCS#8 private and PKIX public PEM of k.
func encodePEM(k crypto.Signer) (private, public []byte, err error) {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, nil, fmt.Errorf("jwtsign: marshal private key: %w", err)
	}
	public, err = publicPEM(k.Public())
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), public, nil
}

// publicPEM returns the PKIX "PUBLIC KEY" PEM of pub.
func publicPEM(pub crypto.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("jwtsign: marshal public key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

// keyID is the RFC 7638 JWK thumbprint of pub: the same key gets the same
// kid on every replica and from every source, so no registry of kids is needed.
func keyID(pub crypto.PublicKey) (string, error) {
	jwk := jose.JSONWebKey{Key: pub}
	sum, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("jwtsign: key thumbprint: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(sum), nil
}
