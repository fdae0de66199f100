package smtpmail_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"gatehouse/adapters/smtpmail"
	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

const (
	secretCode = "918273"
	secretLink = "https://id.example.org/v1/user/confirm/s3cr3t-t0ken"
)

func resetNotification() ports.Notification {
	return ports.Notification{Channel: "email", Recipient: "ann@example.com", Locale: identity.LocaleEN,
		Purpose: identity.PurposePasswordReset, Code: secretCode, Link: secretLink}
}

func TestNotifyOverTLS(t *testing.T) {
	tests := []struct {
		name   string
		server serverConfig
		mode   string
		user   string
		pass   string
	}{
		{name: "starttls", server: serverConfig{tls: "starttls"}, mode: smtpmail.TLSStartTLS},
		{name: "starttls by default", server: serverConfig{tls: "starttls"}, mode: ""},
		{name: "implicit tls", server: serverConfig{tls: "implicit"}, mode: smtpmail.TLSImplicit},
		{name: "starttls with auth plain", server: serverConfig{tls: "starttls", user: "mailer", pass: "p4ss"},
			mode: smtpmail.TLSStartTLS, user: "mailer", pass: "p4ss"},
		{name: "implicit tls with auth plain", server: serverConfig{tls: "implicit", user: "mailer", pass: "p4ss"},
			mode: smtpmail.TLSImplicit, user: "mailer", pass: "p4ss"},
		{name: "plain with auth to localhost", server: serverConfig{user: "mailer", pass: "p4ss"},
			mode: smtpmail.TLSNone, user: "mailer", pass: "p4ss"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := startServer(t, tt.server)
			m := newMailer(t, ts.Host, ts.Port, func(o *smtpmail.Options) {
				o.TLS, o.InsecureSkipVerify, o.Username, o.Password = tt.mode, true, tt.user, tt.pass
			})
			if err := m.Notify(context.Background(), resetNotification()); err != nil {
				t.Fatalf("Notify: %v", err)
			}
			got := onlyMessage(t, ts)
			if wantTLS := tt.server.tls != ""; got.TLS != wantTLS {
				t.Errorf("message came over TLS %t, want %t", got.TLS, wantTLS)
			}
			if got.AuthUser != tt.user {
				t.Errorf("authenticated as %q, want %q", got.AuthUser, tt.user)
			}
			p := parseMessage(t, got.Data)
			assertContains(t, "text", p.Text, secretCode)
			assertContains(t, "html", p.HTML, secretCode)
		})
	}
}

func TestNotifyFailures(t *testing.T) {
	tests := []struct {
		name   string
		server serverConfig
		opts   func(*smtpmail.Options)
		n      func(*ports.Notification)
		code   fault.Code
		reason string
	}{
		{
			name:   "recipient refused permanently",
			server: serverConfig{rcptErr: &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}},
			code:   fault.Invalid, reason: "notify.bad_recipient",
		},
		{
			name:   "recipient refused late, at the end of data",
			server: serverConfig{dataErr: &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}},
			code:   fault.Invalid, reason: "notify.bad_recipient",
		},
		{
			name:   "recipient deferred",
			server: serverConfig{rcptErr: &smtp.SMTPError{Code: 450, EnhancedCode: smtp.EnhancedCode{4, 2, 1}, Message: "Mailbox busy"}},
			code:   fault.Unavailable, reason: "notify.unavailable",
		},
		{
			name:   "sender refused",
			server: serverConfig{mailErr: &smtp.SMTPError{Code: 553, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "Sender not allowed"}},
			code:   fault.Unavailable, reason: "notify.unavailable",
		},
		{
			name:   "message refused as spam",
			server: serverConfig{dataErr: &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "Spam"}},
			code:   fault.Unavailable, reason: "notify.unavailable",
		},
		{
			name:   "server busy",
			server: serverConfig{mailErr: &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "Try later"}},
			code:   fault.Unavailable, reason: "notify.unavailable",
		},
		{
			name:   "wrong password",
			server: serverConfig{tls: "starttls", user: "mailer", pass: "p4ss"},
			opts:   func(o *smtpmail.Options) { o.Username, o.Password = "mailer", "wrong" },
			code:   fault.Unavailable, reason: "notify.unavailable",
		},
		{
			name:   "starttls required but not offered",
			server: serverConfig{},
			opts:   func(o *smtpmail.Options) { o.TLS = smtpmail.TLSStartTLS },
			code:   fault.Unavailable, reason: "notify.unavailable",
		},
		{
			name:   "self-signed certificate without insecure skip verify",
			server: serverConfig{tls: "starttls"},
			opts:   func(o *smtpmail.Options) { o.TLS, o.InsecureSkipVerify = smtpmail.TLSStartTLS, false },
			code:   fault.Unavailable, reason: "notify.unavailable",
		},
		{
			name:   "self-signed certificate on implicit tls without insecure skip verify",
			server: serverConfig{tls: "implicit"},
			opts:   func(o *smtpmail.Options) { o.TLS, o.InsecureSkipVerify = smtpmail.TLSImplicit, false },
			code:   fault.Unavailable, reason: "notify.unavailable",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := startServer(t, tt.server)
			m := newMailer(t, ts.Host, ts.Port, func(o *smtpmail.Options) {
				o.InsecureSkipVerify = true
				switch tt.server.tls {
				case "starttls":
					o.TLS = smtpmail.TLSStartTLS
				case "implicit":
					o.TLS = smtpmail.TLSImplicit
				}
				if tt.opts != nil {
					tt.opts(o)
				}
			})
			err := m.Notify(context.Background(), resetNotification())
			assertFault(t, err, tt.code, tt.reason)
			if n := len(ts.Messages()); n != 0 {
				t.Errorf("server accepted %d messages, want none", n)
			}
		})
	}
}

func TestNotifyRefusesWhatIsNotEmail(t *testing.T) {
	tests := []struct {
		name string
		n    func(*ports.Notification)
	}{
		{name: "not an address", n: func(n *ports.Notification) { n.Recipient = "ann.example.com" }},
		{name: "empty address", n: func(n *ports.Notification) { n.Recipient = "" }},
		{name: "header injection", n: func(n *ports.Notification) { n.Recipient = "ann@example.com\r\nBcc: eve@example.com" }},
		{name: "phone number", n: func(n *ports.Notification) { n.Recipient = "+79991234567" }},
		{name: "another channel", n: func(n *ports.Notification) { n.Channel = "sms" }},
		{name: "phone login purpose", n: func(n *ports.Notification) { n.Purpose = identity.PurposePhoneLogin }},
		{name: "unknown purpose", n: func(n *ports.Notification) { n.Purpose = "launch_missiles" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := startServer(t, serverConfig{})
			m := newMailer(t, ts.Host, ts.Port, nil)
			n := resetNotification()
			tt.n(&n)
			assertFault(t, m.Notify(context.Background(), n), fault.Invalid, "notify.bad_recipient")
			if s := ts.Sessions(); s != 0 {
				t.Errorf("server saw %d sessions, want none", s)
			}
		})
	}
}

func TestNotifyWithoutCodeOrLinkFails(t *testing.T) {
	ts := startServer(t, serverConfig{})
	m := newMailer(t, ts.Host, ts.Port, nil)
	n := resetNotification()
	n.Code, n.Link = "", ""
	err := m.Notify(context.Background(), n)
	if fault.CodeOf(err) != fault.Internal {
		t.Fatalf("Notify = %v, want an internal error", err)
	}
	if s := ts.Sessions(); s != 0 {
		t.Errorf("server saw %d sessions, want none", s)
	}
}

func TestNotifyServerDown(t *testing.T) {
	host, port := downAddress(t)
	m := newMailer(t, host, port, nil)
	assertFault(t, m.Notify(context.Background(), resetNotification()), fault.Unavailable, "notify.unavailable")
}

func TestNotifySlowServerHonoursContext(t *testing.T) {
	host, port, accepted := stallServer(t)
	// The timeout is far away, so only the cancellation can end the call.
	m := newMailer(t, host, port, func(o *smtpmail.Options) { o.Timeout = time.Hour })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-accepted
		cancel()
	}()
	err := m.Notify(ctx, resetNotification())
	assertFault(t, err, fault.Unavailable, "notify.unavailable")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Notify = %v, want it to carry context.Canceled", err)
	}
}

func TestNotifySlowServerHonoursTimeout(t *testing.T) {
	host, port, _ := stallServer(t)
	m := newMailer(t, host, port, func(o *smtpmail.Options) { o.Timeout = 100 * time.Millisecond })
	// Either go-mail's read deadline or the delivery's own deadline ends it.
	assertFault(t, m.Notify(context.Background(), resetNotification()), fault.Unavailable, "notify.unavailable")
}

func TestNotifySlowServerHonoursDeadline(t *testing.T) {
	host, port, _ := stallServer(t)
	m := newMailer(t, host, port, func(o *smtpmail.Options) { o.Timeout = time.Hour })
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err := m.Notify(ctx, resetNotification())
	assertFault(t, err, fault.Unavailable, "notify.unavailable")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Notify = %v, want it to carry context.DeadlineExceeded", err)
	}
}

// assertFault checks err's classification and that it gives no secret away.
func assertFault(tb testing.TB, err error, code fault.Code, reason string) {
	tb.Helper()
	if fault.CodeOf(err) != code || fault.ReasonOf(err) != reason {
		tb.Fatalf("Notify = %v, want %s %s", err, code, reason)
	}
	for _, secret := range []string{secretCode, "s3cr3t"} {
		if strings.Contains(err.Error(), secret) {
			tb.Errorf("error %q contains the secret %q", err, secret)
		}
	}
}
