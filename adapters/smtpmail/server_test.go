package smtpmail_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// serverConfig says how a test SMTP server behaves.
type serverConfig struct {
	tls        string // "" plain, "starttls" offers STARTTLS, "implicit" TLS from the first byte
	user, pass string // when set, AUTH PLAIN is offered and MAIL requires it
	mailErr    error  // answer to MAIL FROM
	rcptErr    error  // answer to RCPT TO
	dataErr    error  // answer to the end of DATA
}

// received is one message as the server got it.
type received struct {
	From     string
	To       []string
	Data     []byte
	TLS      bool   // the connection was encrypted when DATA came
	AuthUser string // who authenticated, if anyone
}

// testServer is an in-process SMTP server (emersion/go-smtp) on 127.0.0.1
// that records what it receives.
type testServer struct {
	cfg  serverConfig
	Host string
	Port int

	mu       sync.Mutex
	msgs     []received
	sessions int
}

func startServer(tb testing.TB, cfg serverConfig) *testServer {
	tb.Helper()
	ts := &testServer{cfg: cfg}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("listen: %v", err)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		ts.mu.Lock()
		ts.sessions++
		ts.mu.Unlock()
		return &session{ts: ts, conn: c}, nil
	}))
	srv.Domain = "localhost"
	srv.ReadTimeout = time.Minute
	srv.WriteTimeout = time.Minute
	// go-smtp offers AUTH only over TLS unless told otherwise; the plain
	// mode tests AUTH to localhost, which go-mail allows.
	srv.AllowInsecureAuth = cfg.tls == ""
	switch cfg.tls {
	case "starttls":
		srv.TLSConfig = serverTLS(tb)
	case "implicit":
		ln = tls.NewListener(ln, serverTLS(tb))
	}
	go func() { _ = srv.Serve(ln) }()
	tb.Cleanup(func() { _ = srv.Close() })
	host, port, err := net.SplitHostPort(ln.Addr().String())
	if err != nil {
		tb.Fatalf("split %s: %v", ln.Addr(), err)
	}
	ts.Host = host
	ts.Port, err = strconv.Atoi(port)
	if err != nil {
		tb.Fatalf("port %s: %v", port, err)
	}
	return ts
}

// Messages returns what the server has received so far.
func (ts *testServer) Messages() []received {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]received(nil), ts.msgs...)
}

// Sessions returns how many SMTP sessions were opened.
func (ts *testServer) Sessions() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.sessions
}

type session struct {
	ts   *testServer
	conn *smtp.Conn
	user string
	from string
	to   []string
}

var errAuthRequired = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}

var errBadCredentials = &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Bad credentials"}

func (s *session) AuthMechanisms() []string {
	if s.ts.cfg.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != s.ts.cfg.user || password != s.ts.cfg.pass {
			return errBadCredentials
		}
		s.user = username
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.ts.cfg.user != "" && s.user == "" {
		return errAuthRequired
	}
	if s.ts.cfg.mailErr != nil {
		return s.ts.cfg.mailErr
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.ts.cfg.rcptErr != nil {
		return s.ts.cfg.rcptErr
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if s.ts.cfg.dataErr != nil {
		return s.ts.cfg.dataErr
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.ts.mu.Lock()
	defer s.ts.mu.Unlock()
	s.ts.msgs = append(s.ts.msgs, received{From: s.from, To: s.to, Data: data, TLS: isTLS, AuthUser: s.user})
	return nil
}

func (s *session) Reset() {
	s.from = ""
	s.to = nil
}

func (s *session) Logout() error { return nil }

// serverTLS returns a TLS config with a fresh self-signed certificate for
// 127.0.0.1 and localhost.
func serverTLS(tb testing.TB) *tls.Config {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatalf("generate key: %v", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "gatehouse test smtp"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatalf("create certificate: %v", err)
	}
	return &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
		MinVersion:   tls.VersionTLS12,
	}
}

// stallServer accepts TCP connections and never says a word, like an SMTP
// server that hangs. accepted receives once per connection.
func stallServer(tb testing.TB) (host string, port int, accepted <-chan struct{}) {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("listen: %v", err)
	}
	ch := make(chan struct{}, 16)
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if err != nil {
				continue
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}()
	tb.Cleanup(func() {
		_ = ln.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	addr := ln.Addr().(*net.TCPAddr)
	return addr.IP.String(), addr.Port, ch
}

// downAddress returns a local port nothing listens on.
func downAddress(tb testing.TB) (host string, port int) {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("listen: %v", err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	if err := ln.Close(); err != nil {
		tb.Fatalf("close: %v", err)
	}
	return addr.IP.String(), addr.Port
}
