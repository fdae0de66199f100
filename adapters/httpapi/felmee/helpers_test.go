package felmee_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"gatehouse/adapters/httpapi"
	"gatehouse/adapters/httpapi/felmee"
	"gatehouse/adapters/httpapi/httpapitest"
	"gatehouse/adapters/jwtsign"
	"gatehouse/adapters/memstore"
	"gatehouse/adapters/passhash"
	"gatehouse/core/captcha"
	"gatehouse/core/identity"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/core/sessions"
	"gatehouse/core/sessions/sessionsvc"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

const issuer = "https://gatehouse.test"

// passCaptcha passes every token but "" and "bad".
type passCaptcha struct{}

func (passCaptcha) Verify(_ context.Context, token, _, _ string) error {
	switch token {
	case "":
		return captcha.Required()
	case "bad":
		return captcha.Invalid("test")
	}
	return nil
}

type staticKeys struct{}

func (staticKeys) CodeKey(context.Context) ([]byte, error) { return bytes.Repeat([]byte{9}, 32), nil }

// outbox records what phones and mailboxes were sent.
type outbox struct {
	mu     sync.Mutex
	phones []ports.Message
	mail   []ports.Notification
}

func (o *outbox) Name() string { return "test" }

func (o *outbox) Send(_ context.Context, m ports.Message) (ports.DeliveryResult, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.phones = append(o.phones, m)
	return ports.DeliveryResult{Channel: "test"}, nil
}

func (o *outbox) Notify(_ context.Context, n ports.Notification) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.mail = append(o.mail, n)
	return nil
}

// code returns the last code sent to a phone or mailbox.
func (o *outbox) code(tb testing.TB, to string) string {
	tb.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	for i := len(o.phones) - 1; i >= 0; i-- {
		if o.phones[i].Recipient == to {
			return o.phones[i].Code
		}
	}
	for i := len(o.mail) - 1; i >= 0; i-- {
		if o.mail[i].Recipient == to && o.mail[i].Code != "" {
			return o.mail[i].Code
		}
	}
	tb.Fatalf("nothing was sent to %s", to)
	return ""
}

// linkToken returns the token of the last login link mailed to addr.
func (o *outbox) linkToken(tb testing.TB, addr string) string {
	tb.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	for i := len(o.mail) - 1; i >= 0; i-- {
		if o.mail[i].Recipient == addr && o.mail[i].Link != "" {
			u, err := url.Parse(o.mail[i].Link)
			if err != nil {
				tb.Fatal(err)
			}
			return u.Query().Get("token")
		}
	}
	tb.Fatalf("no login link was mailed to %s", addr)
	return ""
}

func (o *outbox) sent() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.phones) + len(o.mail)
}

// env is the felmee frontend over the real use cases on memstore.
type env struct {
	*httpapitest.Frontend
	out    *outbox
	ids    *identitysvc.Service
	clock  *porttest.Clock
	prefix string
}

func newEnv(tb testing.TB, o felmee.Options) *env {
	tb.Helper()
	ctx := context.Background()
	clk := porttest.NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	hasher, err := passhash.New(passhash.Options{Memory: 64, Time: 1, Concurrency: 2})
	if err != nil {
		tb.Fatal(err)
	}
	cache := memstore.NewCache(clk)
	tb.Cleanup(func() { _ = cache.Close() })
	signer, err := jwtsign.New(jwtsign.Options{Issuer: issuer}, memstore.NewKeyStore(), clk)
	if err != nil {
		tb.Fatal(err)
	}
	if err := signer.Start(ctx); err != nil {
		tb.Fatal(err)
	}
	sess, err := sessionsvc.New(sessionsvc.Deps{
		Store: memstore.NewSessionStore(), Signer: signer, Cache: cache, Clock: clk, Random: rand.Reader,
		Policy: sessions.Policy{Issuer: issuer, Audience: "felmee-test"},
	})
	if err != nil {
		tb.Fatal(err)
	}
	out := &outbox{}
	ids, err := identitysvc.New(identitysvc.Deps{
		Users: memstore.NewUserStore(), Hasher: hasher, Clock: clk, Random: rand.Reader,
		Challenges: memstore.NewChallengeStore(), Notifier: out, Cache: cache, Sessions: sess,
		Links: ports.LinkRoutes{Base: "https://gatehouse.test", Paths: map[identity.Purpose]string{identity.PurposeEmailConfirm: "/v1/user/confirm/", identity.PurposePasswordReset: "/v1/user/confirm/"}},
	})
	if err != nil {
		tb.Fatal(err)
	}
	pw, err := identitysvc.NewPasswordless(ids, identitysvc.PasswordlessDeps{
		Captcha: passCaptcha{}, Phones: out, Keys: staticKeys{}, PhoneRegion: "RU", CreateOnPhoneLogin: true,
		LoginLinkURL: "https://gatehouse.test" + o.Prefix + felmee.LoginLinkPath,
	})
	if err != nil {
		tb.Fatal(err)
	}
	api, err := felmee.New(o, pw, sess)
	if err != nil {
		tb.Fatal(err)
	}
	h, err := httpapi.NewRouter(httpapi.Options{}, httpapi.Deps{
		Log:    slog.New(slog.DiscardHandler),
		Mounts: []httpapi.Mounter{api},
	})
	if err != nil {
		tb.Fatal(err)
	}
	// The served document already names the prefixed paths.
	f := httpapitest.NewFrontend(tb, h, o.Prefix+"/openapi/felmee.json", "")
	return &env{Frontend: f, out: out, ids: ids, clock: clk, prefix: o.Prefix}
}

type response = httpapitest.Response

// envelope is the contract's answer.
type envelope struct {
	Success   bool           `json:"success"`
	Message   string         `json:"message"`
	CodeError *string        `json:"codeError"`
	Data      map[string]any `json:"data"`
}

func decode(tb testing.TB, r response) envelope {
	tb.Helper()
	var e envelope
	r.JSON(tb, &e)
	return e
}

// call serves one request from ip and checks the answer against the document.
func (e *env) call(tb testing.TB, method, path string, body any, header http.Header) response {
	tb.Helper()
	req := httpapitest.NewRequest(tb, method, e.prefix+path, body, header)
	req.RemoteAddr = "192.0.2.1:40000"
	return e.Do(tb, req)
}

// want checks an answer's status and envelope: success with message, or
// failure with codeError.
func want(tb testing.TB, r response, status int, message, codeError string) envelope {
	tb.Helper()
	env := decode(tb, r)
	got := ""
	if env.CodeError != nil {
		got = *env.CodeError
	}
	if r.Status != status || got != codeError || env.Success != (codeError == "") || (message != "" && env.Message != message) {
		tb.Fatalf("answer %d %s; want %d, codeError %q, message %q", r.Status, r.Body, status, codeError, message)
	}
	return env
}

// captchaHeader is a passing captcha-token header, with extra headers.
func captchaHeader(kv ...string) http.Header {
	h := http.Header{"Captcha-Token": {"ok"}}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

// signIn signs a phone in and returns the pair.
func (e *env) signIn(tb testing.TB, phone string) (jwt, rt string) {
	tb.Helper()
	want(tb, e.call(tb, http.MethodPost, "/api/auth/phone/send/otp", map[string]any{"recipient": phone}, captchaHeader()), 200, "OTP code sent successfully", "")
	e164, err := identity.NormalizePhone("phone", phone, "RU")
	if err != nil {
		tb.Fatal(err)
	}
	r := e.call(tb, http.MethodPost, "/api/auth/phone/login", map[string]any{"phone": phone, "otp": e.out.code(tb, e164)}, nil)
	env := want(tb, r, 200, "The authorization process has been completed successfully!", "")
	return env.Data["JWT"].(string), env.Data["RT"].(string)
}

// cookie returns the Set-Cookie of name in r.
func cookie(tb testing.TB, r response, name string) *http.Cookie {
	tb.Helper()
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	tb.Fatalf("no %s cookie set: %v", name, r.Header["Set-Cookie"])
	return nil
}
