package jwtsign

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
)

// compact is a JWS compact token taken apart, signature not yet checked.
type compact struct {
	kid     string
	alg     jose.SignatureAlgorithm
	input   string // header.payload exactly as received: the signed bytes
	sig     []byte
	payload []byte
}

// split takes a token apart. A header byte-identical to one Sign writes for a
// known key is recognised by a map lookup: every token of one key carries the
// same header, and decoding it again on each request costed more than the
// signature check's margin allowed. Any other header goes through go-jose's
// parser with the algorithms pinned to exactly those of known keys.
func (r *keyring) split(tok string) (compact, error) {
	if c, ok := r.splitKnown(tok); ok {
		return c, nil
	}
	jws, err := jose.ParseSignedCompact(tok, r.algs)
	if err != nil {
		return compact{}, err
	}
	sig := jws.Signatures[0]
	return compact{
		kid:     sig.Header.KeyID,
		alg:     jose.SignatureAlgorithm(sig.Header.Algorithm),
		input:   tok[:strings.LastIndexByte(tok, '.')],
		sig:     sig.Signature,
		payload: jws.UnsafePayloadWithoutVerification(),
	}, nil
}

// splitKnown handles tokens whose header is one of r.headers; anything odd
// is left to the general parser, which reports it.
func (r *keyring) splitKnown(tok string) (compact, bool) {
	hdr, rest, ok := strings.Cut(tok, ".")
	if !ok {
		return compact{}, false
	}
	kid, ok := r.headers[hdr]
	if !ok {
		return compact{}, false
	}
	body, sig64, ok := strings.Cut(rest, ".")
	if !ok || strings.IndexByte(sig64, '.') >= 0 {
		return compact{}, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil {
		return compact{}, false
	}
	sig, err := base64.RawURLEncoding.DecodeString(sig64)
	if err != nil {
		return compact{}, false
	}
	return compact{kid: kid, alg: r.byKID[kid].alg, input: tok[:len(hdr)+1+len(body)], sig: sig, payload: payload}, true
}

// signedHeader is the protected header Sign writes for a key, base64url:
// go-jose serialises its header map with sorted keys.
func signedHeader(alg jose.SignatureAlgorithm, kid string) (string, error) {
	b, err := json.Marshal(struct {
		Alg string `json:"alg"`
		Kid string `json:"kid"`
		Typ string `json:"typ"`
	}{string(alg), kid, "JWT"})
	if err != nil {
		return "", fmt.Errorf("jwtsign: marshal header: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// indexHeaders fills r.headers, after checking on a probe token that the
// signer really writes signedHeader; if a go-jose version ever writes it
// differently, the map stays empty and every token takes the general parser.
func (r *keyring) indexHeaders() error {
	probe, err := r.signer.Sign([]byte("{}"))
	if err != nil {
		return fmt.Errorf("jwtsign: probe signature: %w", err)
	}
	tok, err := probe.CompactSerialize()
	if err != nil {
		return fmt.Errorf("jwtsign: probe serialize: %w", err)
	}
	want, err := signedHeader(r.byKID[r.signKID].alg, r.signKID)
	if err != nil {
		return err
	}
	if got, _, _ := strings.Cut(tok, "."); got != want {
		return nil
	}
	r.headers = make(map[string]string, len(r.order))
	for _, kid := range r.order {
		h, err := signedHeader(r.byKID[kid].alg, kid)
		if err != nil {
			return err
		}
		r.headers[h] = kid
	}
	return nil
}
