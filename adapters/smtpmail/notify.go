package smtpmail

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"strings"

	gomail "github.com/wneessen/go-mail"

	"gatehouse/ports"
)

// Channel is the notification channel a Mailer delivers on.
const Channel = "email"

var _ ports.Notifier = (*Mailer)(nil)

// Notify renders n in its locale and sends it to n.Recipient. Errors:
// fault.Invalid notify.bad_recipient when n is not for email (another
// channel, a purpose not sent by email such as phone_login), the address is
// not an email address or the server refuses the recipient permanently;
// fault.Unavailable notify.unavailable when the server cannot be reached,
// refuses the connection, the login or the sender, answers 4xx, or ctx ends
// first. An empty n.Channel counts as email.
func (m *Mailer) Notify(ctx context.Context, n ports.Notification) error {
	if n.Channel != "" && n.Channel != Channel {
		return badRecipient(fmt.Errorf("smtpmail: channel %q is not %s", n.Channel, Channel))
	}
	addr, err := mail.ParseAddress(n.Recipient)
	if err != nil {
		return badRecipient(fmt.Errorf("smtpmail: recipient: %w", err))
	}
	if n.Code == "" && n.Link == "" {
		return errors.New("smtpmail: notification carries neither a code nor a link")
	}
	body, err := m.render.render(n.Locale, n.Purpose, content{
		Name: n.Name, Product: m.opts.ProductName, Code: n.Code, Link: n.Link,
	})
	if errors.Is(err, errNoTemplate) {
		return badRecipient(err)
	}
	if err != nil {
		return err
	}
	msg := gomail.NewMsg()
	msg.FromMailAddress(m.from)
	msg.ToMailAddress(&mail.Address{Name: n.Name, Address: addr.Address})
	msg.Subject(body.Subject)
	msg.SetMessageIDWithValue(m.messageID())
	msg.SetGenHeader(gomail.HeaderContentLang, body.Locale)
	msg.SetUserAgent(m.opts.ProductName)
	// RFC 3834: an automatic message; auto-responders must not answer it.
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, body.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, body.HTML)
	return m.send(ctx, msg)
}

// messageID returns a fresh Message-ID under the sender's domain rather than
// this host's name, which says nothing to the recipient's filters.
func (m *Mailer) messageID() string {
	return rand.Text() + "@" + m.from.Address[strings.LastIndexByte(m.from.Address, '@')+1:]
}

// send delivers msg over a connection of its own, within Options.Timeout.
// go-mail honours ctx only while dialling and applies its timeout per phase;
// closing the connection when ctx ends makes a slow server release the
// caller at any step, and bounds the whole delivery.
func (m *Mailer) send(ctx context.Context, msg *gomail.Msg) error {
	ctx, cancel := context.WithTimeout(ctx, m.opts.Timeout)
	defer cancel()
	stop := func() bool { return false }
	dial := func(dctx context.Context, network, address string) (net.Conn, error) {
		conn, err := m.dial(dctx, network, address)
		if err != nil {
			return nil, err
		}
		stop = context.AfterFunc(ctx, func() { _ = conn.Close() })
		return conn, nil
	}
	// A client per delivery: dial is bound to this ctx, and go-mail's Client
	// keeps per-session state (the chosen AUTH mechanism) that concurrent
	// deliveries must not share.
	c, err := gomail.NewClient(m.opts.Host, m.clientOptions(dial)...)
	if err != nil {
		return fmt.Errorf("smtpmail: client: %w", err)
	}
	err = c.DialAndSendWithContext(ctx, msg)
	stop()
	if err != nil {
		return classify(ctx, err)
	}
	return nil
}

func (m *Mailer) clientOptions(dial gomail.DialContextFunc) []gomail.Option {
	opts := []gomail.Option{
		gomail.WithPort(m.opts.Port),
		gomail.WithTimeout(m.opts.Timeout),
		gomail.WithTLSConfig(m.tls),
		gomail.WithDialContextFunc(dial),
		// The connection is fresh: a NOOP to check it would only cost a round trip.
		gomail.WithoutNoop(),
	}
	switch m.opts.TLS {
	case TLSImplicit:
		// dial speaks TLS itself; go-mail must not try STARTTLS on top.
		opts = append(opts, gomail.WithSSL(), gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if m.opts.Username != "" {
		// PLAIN or LOGIN, which go-mail only sends over TLS (or to localhost);
		// when the server offers neither, the strongest one it offers.
		opts = append(opts,
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthPlain, gomail.SMTPAuthLogin),
			gomail.WithUsername(m.opts.Username),
			gomail.WithPassword(m.opts.Password),
		)
	}
	return opts
}

// dial opens the TCP connection, and for implicit TLS completes the
// handshake, so the smtp client sees a *tls.Conn and knows it is encrypted.
func (m *Mailer) dial(ctx context.Context, network, address string) (net.Conn, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	if m.opts.TLS != TLSImplicit {
		return conn, nil
	}
	tc := tls.Client(conn, m.tls)
	if err := tc.HandshakeContext(ctx); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return tc, nil
}
