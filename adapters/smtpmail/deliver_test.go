package smtpmail_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"gatehouse/adapters/smtpmail"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

const sender = "gatehouse <no-reply@example.com>"

// newMailer returns a Mailer for ts in plain mode; mod adjusts the options.
func newMailer(tb testing.TB, host string, port int, mod func(*smtpmail.Options)) *smtpmail.Mailer {
	tb.Helper()
	o := smtpmail.Options{Host: host, Port: port, From: sender, TLS: smtpmail.TLSNone}
	if mod != nil {
		mod(&o)
	}
	m, err := smtpmail.New(o)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	return m
}

func TestNotifyDeliversRenderedMessage(t *testing.T) {
	const link = "https://id.example.org/v1/user/confirm?token=a1b2&lang=ru"
	const escapedLink = "https://id.example.org/v1/user/confirm?token=a1b2&amp;lang=ru"
	tests := []struct {
		name    string
		product string
		n       ports.Notification
		lang    string
		subject string
		want    []string // in both parts
		wantTxt []string // in the text part
		wantHTM []string // in the html part
		wantNot []string // in neither part
	}{
		{
			name: "ru password reset, code and link",
			n: ports.Notification{Channel: "email", Recipient: "ann@example.com", Name: "Анна",
				Locale: identity.LocaleRU, Purpose: identity.PurposePasswordReset, Code: "482913", Link: link},
			lang:    "ru",
			subject: "Сброс пароля",
			want: []string{"Здравствуйте, Анна!", "482913", "Мы получили запрос на сброс пароля",
				"Код и ссылка одноразовые"},
			wantTxt: []string{"Ваш код: 482913", "Или откройте ссылку:"},
			wantHTM: []string{">Сбросить пароль</a>"},
		},
		{
			name: "ru email confirm, code only",
			n: ports.Notification{Channel: "email", Recipient: "ann@example.com",
				Locale: identity.LocaleRU, Purpose: identity.PurposeEmailConfirm, Code: "000731"},
			lang:    "ru",
			subject: "Подтверждение адреса электронной почты",
			want:    []string{"Здравствуйте!", "Ваш код:", "000731", "Код одноразовый"},
			wantNot: []string{"https://", "ссылк"},
		},
		{
			name: "ru email login, link only",
			n: ports.Notification{Channel: "email", Recipient: "ann@example.com",
				Locale: identity.LocaleRU, Purpose: identity.PurposeEmailLogin, Link: link},
			lang:    "ru",
			subject: "Вход в gatehouse",
			want:    []string{"Вы запросили вход в gatehouse", "Ссылка одноразовая"},
			wantHTM: []string{">Войти</a>"},
			wantTxt: []string{"Откройте ссылку:"},
			wantNot: []string{"Ваш код:"},
		},
		{
			name: "en email confirm, code only",
			n: ports.Notification{Channel: "email", Recipient: "ann@example.com", Name: "Ann",
				Locale: identity.LocaleEN, Purpose: identity.PurposeEmailConfirm, Code: "123456"},
			lang:    "en",
			subject: "Confirm your email address",
			want:    []string{"Hello, Ann!", "Your code:", "123456", "The code works once"},
			wantNot: []string{"https://"},
		},
		{
			name:    "en email login with a product name, link only",
			product: "Acme",
			n: ports.Notification{Channel: "email", Recipient: "ann@example.com",
				Locale: identity.LocaleEN, Purpose: identity.PurposeEmailLogin, Link: link},
			lang:    "en",
			subject: "Sign in to Acme",
			want:    []string{"Hello!", "You asked to sign in to Acme", "The link works once"},
			wantNot: []string{"Your code:", "gatehouse"},
		},
		{
			name: "unknown locale falls back to en",
			n: ports.Notification{Recipient: "ann@example.com", Locale: "de",
				Purpose: identity.PurposeEmailBind, Code: "777000"},
			lang:    "en",
			subject: "Link this email address",
			want:    []string{"777000", "link this email address to your gatehouse account"},
		},
		{
			name: "empty locale is en",
			n: ports.Notification{Channel: "email", Recipient: "ann@example.com",
				Purpose: identity.PurposePasswordReset, Link: link},
			lang:    "en",
			subject: "Reset your password",
			want:    []string{"reset the password of your gatehouse account"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := startServer(t, serverConfig{})
			m := newMailer(t, ts.Host, ts.Port, func(o *smtpmail.Options) { o.ProductName = tt.product })
			if err := m.Notify(context.Background(), tt.n); err != nil {
				t.Fatalf("Notify: %v", err)
			}
			got := onlyMessage(t, ts)
			if got.From != "no-reply@example.com" || len(got.To) != 1 || got.To[0] != "ann@example.com" {
				t.Errorf("envelope from %q to %q, want no-reply@example.com to [ann@example.com]", got.From, got.To)
			}
			p := parseMessage(t, got.Data)
			if p.Subject != tt.subject {
				t.Errorf("Subject %q, want %q", p.Subject, tt.subject)
			}
			if p.From.Name != "gatehouse" || p.From.Address != "no-reply@example.com" {
				t.Errorf("From %q <%s>, want gatehouse <no-reply@example.com>", p.From.Name, p.From.Address)
			}
			if p.To.Address != "ann@example.com" || p.To.Name != tt.n.Name {
				t.Errorf("To %q <%s>, want %q <ann@example.com>", p.To.Name, p.To.Address, tt.n.Name)
			}
			if h := p.Header.Get("Content-Language"); h != tt.lang {
				t.Errorf("Content-Language %q, want %q", h, tt.lang)
			}
			if id := p.Header.Get("Message-Id"); !strings.HasSuffix(id, "@example.com>") {
				t.Errorf("Message-ID %q, want one under the sender domain", id)
			}
			if h := p.Header.Get("Auto-Submitted"); h != "auto-generated" {
				t.Errorf("Auto-Submitted %q, want auto-generated", h)
			}
			if !strings.Contains(p.HTML, `<html lang="`+tt.lang+`">`) {
				t.Errorf("html part is not lang %q:\n%s", tt.lang, p.HTML)
			}
			for _, s := range tt.want {
				assertContains(t, "text", p.Text, s)
				assertContains(t, "html", p.HTML, s)
			}
			for _, s := range tt.wantTxt {
				assertContains(t, "text", p.Text, s)
			}
			for _, s := range tt.wantHTM {
				assertContains(t, "html", p.HTML, s)
			}
			for _, s := range tt.wantNot {
				assertLacks(t, "text", p.Text, s)
				assertLacks(t, "html", p.HTML, s)
			}
			if tt.n.Link != "" {
				assertContains(t, "text", p.Text, link)
				assertContains(t, "html", p.HTML, `href="`+escapedLink+`"`)
				assertContains(t, "html", p.HTML, ">"+escapedLink+"</a>")
				assertLacks(t, "html", p.HTML, link)
			}
		})
	}
}

func TestNotifyEscapesHTML(t *testing.T) {
	ts := startServer(t, serverConfig{})
	m := newMailer(t, ts.Host, ts.Port, nil)
	n := ports.Notification{Channel: "email", Recipient: "ann@example.com", Name: `<script>alert("x")</script>`,
		Locale: identity.LocaleEN, Purpose: identity.PurposeEmailConfirm, Code: "1<b>2",
		Link: `javascript:alert(1)`}
	if err := m.Notify(context.Background(), n); err != nil {
		t.Fatalf("Notify: %v", err)
	}
	p := parseMessage(t, onlyMessage(t, ts).Data)
	assertLacks(t, "html", p.HTML, "<script>")
	assertLacks(t, "html", p.HTML, "<b>")
	assertContains(t, "html", p.HTML, "&lt;script&gt;")
	assertContains(t, "html", p.HTML, "1&lt;b&gt;2")
	// html/template refuses a script URL in href.
	assertLacks(t, "html", p.HTML, `href="javascript:`)
	assertContains(t, "text", p.Text, `Hello, <script>alert("x")</script>!`)
}

func TestNotifyConcurrently(t *testing.T) {
	ts := startServer(t, serverConfig{})
	m := newMailer(t, ts.Host, ts.Port, nil)
	const senders = 8
	var wg sync.WaitGroup
	errs := make(chan error, senders)
	for range senders {
		wg.Go(func() {
			errs <- m.Notify(context.Background(), ports.Notification{Channel: "email", Recipient: "ann@example.com",
				Locale: identity.LocaleRU, Purpose: identity.PurposeEmailConfirm, Code: "123456"})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Notify: %v", err)
		}
	}
	if got := len(ts.Messages()); got != senders {
		t.Fatalf("server received %d messages, want %d", got, senders)
	}
}

func assertContains(tb testing.TB, part, body, want string) {
	tb.Helper()
	if !strings.Contains(body, want) {
		tb.Errorf("%s part lacks %q:\n%s", part, want, body)
	}
}

func assertLacks(tb testing.TB, part, body, unwanted string) {
	tb.Helper()
	if strings.Contains(body, unwanted) {
		tb.Errorf("%s part contains %q:\n%s", part, unwanted, body)
	}
}

func TestNotifyNameCannotAddHeaders(t *testing.T) {
	ts := startServer(t, serverConfig{})
	m := newMailer(t, ts.Host, ts.Port, nil)
	n := ports.Notification{Channel: "email", Recipient: "ann@example.com", Name: "Ann\r\nBcc: eve@example.com",
		Locale: identity.LocaleEN, Purpose: identity.PurposeEmailConfirm, Code: "123456"}
	if err := m.Notify(context.Background(), n); err != nil {
		t.Fatalf("Notify: %v", err)
	}
	got := onlyMessage(t, ts)
	p := parseMessage(t, got.Data)
	if bcc := p.Header.Get("Bcc"); bcc != "" {
		t.Errorf("the name added a Bcc header %q", bcc)
	}
	if len(got.To) != 1 || got.To[0] != "ann@example.com" {
		t.Errorf("envelope to %q, want [ann@example.com]", got.To)
	}
}
