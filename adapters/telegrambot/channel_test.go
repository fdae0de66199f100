package telegrambot_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"gatehouse/adapters/codechain"
	"gatehouse/core/delivery"
	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// sms is the channel after the bot in the chain.
type sms struct {
	mu   sync.Mutex
	sent []ports.Message
}

func (s *sms) Name() string { return "smshook" }

func (s *sms) Send(_ context.Context, m ports.Message) (ports.DeliveryResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, m)
	return ports.DeliveryResult{}, nil
}

// verifiedPhone links a new account to Telegram user tg and verifies phone
// by its own contact.
func verifiedPhone(tb testing.TB, f fixture, login string, tg int64, phone string, update int) identity.User {
	tb.Helper()
	u := f.account(tb, login)
	f.apply(tb, message(update, tg, "en", "/start "+f.linkToken(tb, u.ID)))
	f.apply(tb, contact(update+1, tg, tg, phone))
	if got := f.user(tb, u.ID); !got.PhoneVerified {
		tb.Fatalf("phone not verified: %+v", got)
	}
	return u
}

func TestCodesGoToTheLinkedChatFirst(t *testing.T) {
	f := newFixture(t)
	verifiedPhone(t, f, "ann", 100, "+79990000001", 1)
	verifiedPhone(t, f, "bob", 200, "+79990000002", 3)
	f.api.mu.Lock()
	f.api.blocked[200] = true // Bob blocked the bot since
	f.api.mu.Unlock()
	next := &sms{}
	metrics, err := codechain.NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	chain, err := codechain.New([]ports.CodeChannel{f.bot, next},
		delivery.Routes{Default: []string{"telegram", "smshook"}}, metrics, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	code := func(to string) ports.Message {
		return ports.Message{Recipient: to, Code: "424242", TTL: 10 * time.Minute, Locale: identity.LocaleRU, Purpose: identity.PurposePhoneLogin}
	}

	res, err := chain.Send(t.Context(), code("+79990000001"))
	if err != nil || res.Channel != "telegram" {
		t.Fatalf("to a linked phone: %+v, %v", res, err)
	}
	if got := f.lastText(t, 100); !strings.Contains(got, "<code>424242</code>") || !strings.Contains(got, "Действует 10 мин") {
		t.Fatalf("code message %q", got)
	}
	for _, to := range []string{"+79990000002", "+79990000003"} { // blocked; no chat at all
		res, err := chain.Send(t.Context(), code(to))
		if err != nil || res.Channel != "smshook" {
			t.Fatalf("to %s: %+v, %v; want the next channel", to, res, err)
		}
	}
	if n := len(next.sent); n != 2 {
		t.Fatalf("the next channel got %d codes", n)
	}
	// Each code went to the chat linked to its phone and nowhere else: Ann's,
	// and Bob's (refused, blocked); the unlinked phone's to no chat.
	f.api.mu.Lock()
	for _, c := range f.api.calls {
		if c.method == "sendMessage" && strings.Contains(c.form["text"], "424242") && c.form["chat_id"] != "100" && c.form["chat_id"] != "200" {
			t.Errorf("a code went to chat %s", c.form["chat_id"])
		}
	}
	f.api.mu.Unlock()
	_, err = f.bot.Send(t.Context(), code("+79990000002"))
	if fault.ReasonOf(err) != delivery.ReasonUnreachable {
		t.Fatalf("blocked chat: %v, want unreachable", err)
	}
}

func TestFloodControlIsWaitedOut(t *testing.T) {
	f := newFixture(t)
	verifiedPhone(t, f, "ann", 100, "+79990000001", 1)
	f.api.mu.Lock()
	f.api.floods = 1
	f.api.mu.Unlock()
	before := len(f.api.sent(100))
	res, err := f.bot.Send(t.Context(), ports.Message{Recipient: "+79990000001", Code: "111111", TTL: time.Minute})
	if err != nil || res.ID == "" {
		t.Fatalf("Send after a 429: %+v, %v", res, err)
	}
	if n := len(f.api.sent(100)) - before; n != 2 {
		t.Fatalf("%d sendMessage calls, want the refused one and its retry", n)
	}
}
