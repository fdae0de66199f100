// Package smtpmail delivers one-time codes and links by email through an
// SMTP submission server, using github.com/wneessen/go-mail.
//
// Each message is rendered from embedded templates, in English or Russian by
// the recipient's locale, as a multipart/alternative of text/plain and
// text/html. The connection is encrypted by default (STARTTLS, mandatory);
// implicit TLS and, for tests and local development only, plain SMTP are
// options. The package never logs: a message carries a secret.
package smtpmail

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"time"
)

// The TLS modes.
const (
	// TLSStartTLS upgrades the connection with STARTTLS and refuses a server
	// that does not offer it. The default; port 587 unless set.
	TLSStartTLS = "starttls"
	// TLSImplicit speaks TLS from the first byte; port 465 unless set.
	TLSImplicit = "tls"
	// TLSNone sends in clear, for tests and local development only; port 25
	// unless set.
	TLSNone = "none"
)

// DefaultTimeout bounds one delivery when Options.Timeout is zero.
const DefaultTimeout = 15 * time.Second

// Options configure a Mailer.
type Options struct {
	Host     string
	Port     int // 0: the TLS mode's usual port
	Username string
	Password string
	// From is the sender, e.g. "gatehouse <no-reply@example.com>".
	From string
	// TLS is "starttls" (default), "tls" or "none".
	TLS string
	// InsecureSkipVerify accepts any server certificate; for tests only.
	InsecureSkipVerify bool
	// Timeout bounds one whole delivery, connecting included; 0 means
	// DefaultTimeout.
	Timeout time.Duration
	// ProductName names the product in the messages; empty means the
	// display name of From, or "gatehouse".
	ProductName string
}

// withDefaults validates o and fills in its defaults.
func (o Options) withDefaults() (Options, *mail.Address, error) {
	if o.TLS == "" {
		o.TLS = TLSStartTLS
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	switch {
	case strings.TrimSpace(o.Host) == "" || strings.ContainsAny(o.Host, " /\t"):
		return o, nil, fmt.Errorf("smtpmail: host %q: want a host name or IP address", o.Host)
	case strings.Contains(o.Host, ":") && net.ParseIP(o.Host) == nil:
		return o, nil, fmt.Errorf("smtpmail: host %q: give the port in port, not in host", o.Host)
	case o.TLS != TLSStartTLS && o.TLS != TLSImplicit && o.TLS != TLSNone:
		return o, nil, fmt.Errorf("smtpmail: tls %q: want starttls, tls or none", o.TLS)
	case o.Port < 0 || o.Port > 65535:
		return o, nil, fmt.Errorf("smtpmail: port %d: want 1..65535, or 0 for the usual port", o.Port)
	case o.Timeout < 0:
		return o, nil, fmt.Errorf("smtpmail: timeout %s: want a positive duration", o.Timeout)
	case o.Username == "" && o.Password != "":
		return o, nil, errors.New("smtpmail: password without a username")
	case o.Username != "" && o.Password == "":
		return o, nil, errors.New("smtpmail: username without a password")
	case o.Username != "" && o.TLS == TLSNone && !isLoopback(o.Host):
		return o, nil, fmt.Errorf("smtpmail: tls none would send the password to %s in clear; use starttls or tls", o.Host)
	}
	if o.Port == 0 {
		o.Port = usualPort(o.TLS)
	}
	if o.From == "" {
		return o, nil, errors.New("smtpmail: from is required, e.g. \"gatehouse <no-reply@example.com>\"")
	}
	from, err := mail.ParseAddress(o.From)
	if err != nil {
		return o, nil, fmt.Errorf("smtpmail: from %q: %w", o.From, err)
	}
	if o.ProductName == "" {
		o.ProductName = from.Name
	}
	if o.ProductName == "" {
		o.ProductName = "gatehouse"
	}
	return o, from, nil
}

// usualPort is the IANA port of each TLS mode: submission, submissions, smtp.
func usualPort(mode string) int {
	switch mode {
	case TLSImplicit:
		return 465
	case TLSNone:
		return 25
	default:
		return 587
	}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Mailer delivers notifications by email. It is safe for concurrent use:
// each delivery opens its own connection.
type Mailer struct {
	opts   Options
	from   *mail.Address
	addr   string
	tls    *tls.Config
	render *renderer
}

// New checks o and returns a Mailer. It does not connect: a mail server that
// is down at start only fails deliveries, as notify.unavailable.
func New(o Options) (*Mailer, error) {
	o, from, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	r, err := newRenderer()
	if err != nil {
		return nil, err
	}
	return &Mailer{
		opts: o,
		from: from,
		addr: net.JoinHostPort(o.Host, strconv.Itoa(o.Port)),
		tls: &tls.Config{
			ServerName:         o.Host,
			MinVersion:         tls.VersionTLS12,
			InsecureSkipVerify: o.InsecureSkipVerify, //nolint:gosec // tests only, documented on Options
		},
		render: r,
	}, nil
}
