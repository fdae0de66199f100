// Package outline provisions Outline (shadowsocks) access keys
// (ports.Provisioner) through an Outline server's management API: keys are
// created under gatehouse's own key ID (PUT /access-keys/{id}), so a
// create that fails half-way can always be undone, and removed, renamed
// and measured by it.
//
// The API is HTTPS with a self-signed certificate; the client accepts only
// the certificate whose SHA-256 the server's settings name (certSha256, as
// the Outline installer prints it), on every connection, resumed ones
// included.
package outline

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/skip2/go-qrcode"

	"gatehouse/core/vpn"
	"gatehouse/ports"
)

// DefaultTimeout bounds one call to a management API.
const DefaultTimeout = 10 * time.Second

// activeWindow is how recent a key's traffic must be to count as an
// active connection.
const activeWindow = 5 * time.Minute

// Options configure a Provisioner.
type Options struct {
	Clock   ports.Clock
	Timeout time.Duration // per call; 0 means DefaultTimeout
}

// Provisioner implements ports.Provisioner for Outline servers.
type Provisioner struct {
	clock   ports.Clock
	timeout time.Duration
	mu      sync.Mutex
	clients map[string]*http.Client // by pinned fingerprint
}

var _ ports.Provisioner = (*Provisioner)(nil)

// New returns a Provisioner, or an error naming the missing dependency.
func New(o Options) (*Provisioner, error) {
	if o.Clock == nil {
		return nil, errors.New("outline: clock is required")
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	return &Provisioner{clock: o.Clock, timeout: o.Timeout, clients: map[string]*http.Client{}}, nil
}

// Protocol implements ports.Provisioner.
func (p *Provisioner) Protocol() vpn.Protocol { return vpn.Outline }

// client returns the HTTP client that trusts only the certificate with
// fingerprint fp (hex SHA-256 of its DER, any case, colons allowed).
func (p *Provisioner) client(fp string) (*http.Client, error) {
	want, err := hex.DecodeString(strings.ReplaceAll(fp, ":", ""))
	if err != nil || len(want) != sha256.Size {
		return nil, vpn.ProvisionerDown(fmt.Errorf("outline: certSha256 %q is not a SHA-256", fp))
	}
	key := hex.EncodeToString(want)
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.clients[key]; ok {
		return c, nil
	}
	tr := &http.Transport{
		Proxy:       http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{Timeout: p.timeout}).DialContext,
		TLSClientConfig: &tls.Config{
			// The certificate is self-signed: no chain to verify, so the
			// pin is the whole check, done on every connection.
			InsecureSkipVerify: true, //nolint:gosec // pinned in VerifyConnection
			VerifyConnection: func(cs tls.ConnectionState) error {
				if len(cs.PeerCertificates) == 0 {
					return errors.New("outline: no certificate")
				}
				got := sha256.Sum256(cs.PeerCertificates[0].Raw)
				if hex.EncodeToString(got[:]) != key {
					return fmt.Errorf("outline: certificate %X is not the pinned %s", got, strings.ToUpper(key))
				}
				return nil
			},
		},
		TLSHandshakeTimeout:   p.timeout,
		ResponseHeaderTimeout: p.timeout,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       time.Minute,
	}
	c := &http.Client{Transport: tr, Timeout: p.timeout,
		// The API answers 308 only on deprecated paths gatehouse does not use.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	p.clients[key] = c
	return c, nil
}

// AccessURL is the ss:// URL of a key as Outline forms it (SIP002):
// base64url without padding of "method:password", the host (in brackets
// when IPv6) and port, and "/?outline=1", with no tag.
func AccessURL(host string, port int, method, password string) string {
	userinfo := base64.RawURLEncoding.EncodeToString([]byte(method + ":" + password))
	return "ss://" + userinfo + "@" + net.JoinHostPort(host, strconv.Itoa(port)) + "/?outline=1"
}

// QR implements ports.Provisioner: a PNG of the access URL, which the
// Outline apps scan.
func (p *Provisioner) QR(m vpn.Material) ([]byte, error) {
	if m.AccessURL == "" {
		return nil, vpn.KeyNotFound()
	}
	png, err := qrcode.Encode(m.AccessURL, qrcode.Medium, 512)
	if err != nil {
		return nil, fmt.Errorf("outline: qr code: %w", err)
	}
	return png, nil
}
