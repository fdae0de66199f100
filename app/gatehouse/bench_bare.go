package main

import (
	"context"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"gatehouse/ports"
)

// serveBare serves h on a loopback port with nothing else around it.
func serveBare(h http.Handler) (*http.Server, string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: h}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, "bare server:", err)
		}
	}()
	return srv, "http://" + ln.Addr().String(), nil
}

// bareRedirects answers the same redirects from a Go map: the floor of the
// redirect path.
func bareRedirects(targets map[string]string, status int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target, ok := targets[strings.TrimPrefix(r.URL.Path, "/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Location", target)
		w.Header().Set("Cache-Control", "private, max-age=0")
		w.WriteHeader(status)
	})
}

// bareVerify checks the Ed25519 signature of the bearer JWT with the
// signer's current public key, reads its subject and answers it as JSON:
// the least a token-authenticated read does.
func bareVerify(ctx context.Context, signer ports.TokenSigner) (http.Handler, error) {
	p, err := signer.PublicKeyPEM(ctx)
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(p)
	if blk == nil {
		return nil, errors.New("bare verify: no PEM block")
	}
	key, err := x509.ParsePKIXPublicKey(blk.Bytes)
	if err != nil {
		return nil, err
	}
	pub, ok := key.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("bare verify: the signing key is %T, want Ed25519 (tokens.algorithm EdDSA)", key)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		dot := strings.LastIndexByte(tok, '.')
		first := strings.IndexByte(tok, '.')
		if dot <= first || first < 0 {
			http.Error(w, "malformed", http.StatusUnauthorized)
			return
		}
		sig, err := base64.RawURLEncoding.DecodeString(tok[dot+1:])
		if err != nil || !ed25519.Verify(pub, []byte(tok[:dot]), sig) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		payload, err := base64.RawURLEncoding.DecodeString(tok[first+1 : dot])
		var claims struct {
			Sub string `json:"sub"`
		}
		if err == nil {
			err = json.Unmarshal(payload, &claims)
		}
		if err != nil {
			http.Error(w, "bad claims", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(struct {
			ID string `json:"id"`
		}{claims.Sub})
	}), nil
}
