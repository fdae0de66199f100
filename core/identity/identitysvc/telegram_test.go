package identitysvc_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/ports"
)

const tgBotToken = "123456:test-bot-token"

type tgFixture struct {
	fixture
	tg *identitysvc.Telegram
}

func newTGFixture(tb testing.TB, create bool) tgFixture {
	tb.Helper()
	f := tgFixture{fixture: newFixture(tb, nil)}
	var err error
	f.tg, err = identitysvc.NewTelegram(f.svc, identitysvc.TelegramDeps{
		Keys: staticKeys{}, BotToken: tgBotToken, LoginMaxAge: time.Minute, CreateOnSignIn: create,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

// linked registers an account and links it to Telegram user tgID.
func (f tgFixture) linked(tb testing.TB, login string, tgID int64) identity.User {
	tb.Helper()
	u := f.register(tb, ports.Registration{Login: login, Password: pw})
	tok, err := f.tg.NewLinkToken(context.Background(), u.ID)
	if err != nil {
		tb.Fatal(err)
	}
	u, err = f.tg.Link(context.Background(), tok.Token, identity.TelegramProfile{ID: tgID})
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

func TestTelegramLink(t *testing.T) {
	ctx := context.Background()
	f := newTGFixture(t, false)
	ann := f.register(t, ports.Registration{Login: "ann", Password: pw})
	bob := f.linked(t, "bob", 200)

	tok, err := f.tg.NewLinkToken(ctx, ann.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(tok.Token) != 43 || !tok.ExpiresAt.Equal(epoch.Add(identity.TelegramLinkTTL)) {
		t.Fatalf("token %+v", tok)
	}
	// Bob's Telegram user brings Ann's token: refused, and the token stays.
	_, err = f.tg.Link(ctx, tok.Token, identity.TelegramProfile{ID: 200})
	wantFault(t, err, fault.Conflict, identity.ReasonTelegramTaken)
	u, err := f.tg.Link(ctx, tok.Token, identity.TelegramProfile{ID: 100})
	if err != nil || u.TelegramID != 100 {
		t.Fatalf("Link: %+v, %v", u, err)
	}
	_, err = f.tg.Link(ctx, tok.Token, identity.TelegramProfile{ID: 100})
	wantFault(t, err, fault.Unauthenticated, "identity.code_invalid")
	_, err = f.tg.NewLinkToken(ctx, ann.ID)
	wantFault(t, err, fault.Conflict, identity.ReasonTelegramLinked)
	if got, err := f.tg.Linked(ctx, 100); err != nil || got.ID != ann.ID {
		t.Fatalf("Linked(100): %+v, %v", got, err)
	}
	if got, err := f.tg.Linked(ctx, 200); err != nil || got.ID != bob.ID {
		t.Fatalf("Linked(200): %+v, %v", got, err)
	}

	if _, err := f.tg.Unlink(ctx, ann.ID); err != nil {
		t.Fatal(err)
	}
	_, err = f.tg.Unlink(ctx, ann.ID)
	wantFault(t, err, fault.NotFound, identity.ReasonTelegramNotLinked)
	_, err = f.tg.Linked(ctx, 100)
	wantFault(t, err, fault.NotFound, identity.ReasonTelegramNotLinked)
}

func TestTelegramLinkTokenExpiresAndIsReplaced(t *testing.T) {
	ctx := context.Background()
	f := newTGFixture(t, false)
	ann := f.register(t, ports.Registration{Login: "ann", Password: pw})
	first, err := f.tg.NewLinkToken(ctx, ann.ID)
	if err != nil {
		t.Fatal(err)
	}
	second, err := f.tg.NewLinkToken(ctx, ann.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.tg.Link(ctx, first.Token, identity.TelegramProfile{ID: 1})
	wantFault(t, err, fault.Unauthenticated, "identity.code_invalid")
	f.clock.Advance(identity.TelegramLinkTTL)
	_, err = f.tg.Link(ctx, second.Token, identity.TelegramProfile{ID: 1})
	wantFault(t, err, fault.Gone, "identity.code_expired")
	_, err = f.tg.Link(ctx, "", identity.TelegramProfile{ID: 1})
	wantFault(t, err, fault.Invalid, "invalid.token")
}

// TestTelegramLinkRace brings link tokens of many accounts to the bot as
// one Telegram user at once: one account is linked.
func TestTelegramLinkRace(t *testing.T) {
	ctx := context.Background()
	f := newTGFixture(t, false)
	const n = 8
	tokens := make([]string, n)
	for i := range n {
		u := f.register(t, ports.Registration{Login: fmt.Sprintf("user%d", i), Password: pw})
		tok, err := f.tg.NewLinkToken(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		tokens[i] = tok.Token
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { _, errs[i] = f.tg.Link(ctx, tokens[i], identity.TelegramProfile{ID: 77}) })
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
		} else if fault.ReasonOf(err) != identity.ReasonTelegramTaken {
			t.Fatalf("a losing link: %v", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d links won, want 1", wins)
	}
}

func TestTelegramShareContact(t *testing.T) {
	ctx := context.Background()
	f := newTGFixture(t, false)
	ann := f.linked(t, "ann", 100)
	other := f.register(t, ports.Registration{Login: "other", Password: pw})
	other.Phone = "+79990000002"
	if err := f.users.Update(ctx, other); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		sender int64
		c      ports.TelegramContact
		code   fault.Code
		reason string
	}{
		{"a forwarded contact", 100, ports.TelegramContact{PhoneNumber: "79990000001", UserID: 101}, fault.Forbidden, identity.ReasonContactNotOwn},
		{"a typed contact", 100, ports.TelegramContact{PhoneNumber: "79990000001"}, fault.Forbidden, identity.ReasonContactNotOwn},
		{"another account's phone", 100, ports.TelegramContact{PhoneNumber: "+79990000002", UserID: 100}, fault.Conflict, identity.ReasonPhoneTaken},
		{"an unlinked sender", 300, ports.TelegramContact{PhoneNumber: "79990000003", UserID: 300}, fault.NotFound, identity.ReasonTelegramNotLinked},
		{"no such number", 100, ports.TelegramContact{PhoneNumber: "12", UserID: 100}, fault.Invalid, "invalid.phone_number"},
	}
	for _, tt := range tests {
		_, err := f.tg.ShareContact(ctx, tt.sender, tt.c)
		if fault.CodeOf(err) != tt.code || fault.ReasonOf(err) != tt.reason {
			t.Errorf("%s: %v, want %s %s", tt.name, err, tt.code, tt.reason)
		}
	}
	_, err := f.tg.ChatOfPhone(ctx, "+79990000001")
	wantFault(t, err, fault.NotFound, identity.ReasonTelegramNotLinked)

	u, err := f.tg.ShareContact(ctx, 100, ports.TelegramContact{PhoneNumber: "79990000001", UserID: 100})
	if err != nil || u.ID != ann.ID || u.Phone != "+79990000001" || !u.PhoneVerified {
		t.Fatalf("own contact: %+v, %v", u, err)
	}
	if chat, err := f.tg.ChatOfPhone(ctx, "+79990000001"); err != nil || chat != 100 {
		t.Fatalf("ChatOfPhone: %d, %v", chat, err)
	}
	// The other account has the phone, but not verified: no chat gets its codes.
	_, err = f.tg.ChatOfPhone(ctx, "+79990000002")
	wantFault(t, err, fault.NotFound, identity.ReasonTelegramNotLinked)
}

// widget signs fields as the Login Widget does.
func widget(fields map[string]string) map[string]string {
	secret := sha256.Sum256([]byte(tgBotToken))
	m := hmac.New(sha256.New, secret[:])
	m.Write([]byte(identity.TelegramDataCheckString(fields)))
	fields["hash"] = hex.EncodeToString(m.Sum(nil))
	return fields
}

func TestTelegramSignIn(t *testing.T) {
	ctx := context.Background()
	data := func(id int64) map[string]string {
		return widget(map[string]string{"id": strconv.FormatInt(id, 10), "first_name": "Ann", "auth_date": strconv.FormatInt(epoch.Unix(), 10)})
	}
	t.Run("linked", func(t *testing.T) {
		f := newTGFixture(t, false)
		ann := f.linked(t, "ann", 100)
		u, err := f.tg.SignInWidget(ctx, data(100))
		if err != nil || u.ID != ann.ID {
			t.Fatalf("SignInWidget: %+v, %v", u, err)
		}
		_, err = f.tg.SignInWidget(ctx, data(101))
		wantFault(t, err, fault.Unauthenticated, identity.ReasonTelegramNotLinked)
		f.clock.Advance(2 * time.Minute)
		_, err = f.tg.SignInWidget(ctx, data(100))
		wantFault(t, err, fault.Unauthenticated, identity.ReasonTelegramAuthExpired)
	})
	t.Run("creates", func(t *testing.T) {
		f := newTGFixture(t, true)
		var wg sync.WaitGroup
		ids := make([]string, 6)
		for i := range ids {
			wg.Go(func() {
				u, err := f.tg.SignInWidget(ctx, data(500))
				if err != nil {
					t.Error(err)
				}
				ids[i] = u.ID
			})
		}
		wg.Wait()
		for _, id := range ids {
			if id != ids[0] {
				t.Fatalf("concurrent first sign-ins made several accounts: %v", ids)
			}
		}
		u, err := f.tg.Linked(ctx, 500)
		if err != nil || u.FirstName != "Ann" || u.Source != "telegram" || !u.Active() {
			t.Fatalf("made account: %+v, %v", u, err)
		}
	})
}
