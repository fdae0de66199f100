package telegrambot_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"gatehouse/adapters/memstore"
	"gatehouse/adapters/passhash"
	"gatehouse/adapters/telegrambot"
	"gatehouse/core/identity"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

type staticKeys struct{}

func (staticKeys) CodeKey(context.Context) ([]byte, error) { return bytes.Repeat([]byte{9}, 32), nil }

// revoker satisfies the identity service's session port.
type revoker struct{}

func (revoker) EndUserSessions(context.Context, string, string) error { return nil }

// devices is a ports.Sessions that knows devices and ends them.
type devices struct {
	ports.Sessions
	mu    sync.Mutex
	byID  map[string]sessions.Device
	ended []string
}

func (d *devices) Devices(_ context.Context, userID string) ([]sessions.Device, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []sessions.Device
	for _, dev := range d.byID {
		if dev.UserID == userID {
			out = append(out, dev)
		}
	}
	return out, nil
}

func (d *devices) EndDevice(_ context.Context, userID, deviceID string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if dev, ok := d.byID[deviceID]; !ok || dev.UserID != userID {
		return sessions.DeviceNotFound()
	}
	d.ended = append(d.ended, deviceID)
	return nil
}

// fixture is a bot on a fake Bot API over the real identity use cases on
// memstore.
type fixture struct {
	api      *fakeAPI
	bot      *telegrambot.Bot
	svc      *identitysvc.Service
	tg       *identitysvc.Telegram
	users    *memstore.UserStore
	cache    *memstore.Cache
	sessions *devices
}

func newFixture(tb testing.TB) fixture {
	tb.Helper()
	f := fixture{api: newFakeAPI(tb), users: memstore.NewUserStore(), sessions: &devices{byID: map[string]sessions.Device{}}}
	f.cache = memstore.NewCache(clock{})
	tb.Cleanup(func() { _ = f.cache.Close() })
	f.bot = f.newBot(tb, f.cache)
	return f
}

// newBot builds another bot (another replica) on the fixture's use cases
// and the given cache.
func (f *fixture) newBot(tb testing.TB, cache ports.Cache) *telegrambot.Bot {
	tb.Helper()
	if f.tg == nil {
		ph, err := passhash.New(passhash.Options{Memory: 64, Time: 1, Concurrency: 2})
		if err != nil {
			tb.Fatal(err)
		}
		f.svc, err = identitysvc.New(identitysvc.Deps{
			Users: f.users, Hasher: ph, Clock: clock{}, Random: rand.Reader, Challenges: memstore.NewChallengeStore(),
			Cache: f.cache, Sessions: revoker{},
		})
		if err != nil {
			tb.Fatal(err)
		}
		f.tg, err = identitysvc.NewTelegram(f.svc, identitysvc.TelegramDeps{Keys: staticKeys{}, BotToken: fakeToken})
		if err != nil {
			tb.Fatal(err)
		}
	}
	b, err := telegrambot.New(telegrambot.Options{
		Token: fakeToken, APIEndpoint: f.api.endpoint(), PollTimeout: 2 * time.Second, LeaseTTL: 600 * time.Millisecond,
	}, telegrambot.Deps{Links: f.tg, Sessions: f.sessions, Cache: cache})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

type clock struct{}

func (clock) Now() time.Time { return time.Now() }

// account registers an account.
func (f fixture) account(tb testing.TB, login string) identity.User {
	tb.Helper()
	u, err := f.svc.Register(context.Background(), ports.Registration{Login: login, Password: "correct horse battery"})
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// linkToken issues a link token of the account.
func (f fixture) linkToken(tb testing.TB, userID string) string {
	tb.Helper()
	tok, err := f.tg.NewLinkToken(context.Background(), userID)
	if err != nil {
		tb.Fatal(err)
	}
	return tok.Token
}

// user reads an account.
func (f fixture) user(tb testing.TB, id string) identity.User {
	tb.Helper()
	u, err := f.users.ByID(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// apply hands the bot an update as Telegram would deliver it.
func (f fixture) apply(tb testing.TB, update string) {
	tb.Helper()
	var u tgbotapi.Update
	if err := json.Unmarshal([]byte(update), &u); err != nil {
		tb.Fatal(err)
	}
	if err := f.bot.HandleUpdate(context.Background(), u); err != nil {
		tb.Fatal(err)
	}
}

// lastText is the text of the last message sent to chat.
func (f fixture) lastText(tb testing.TB, chat int64) string {
	tb.Helper()
	sent := f.api.sent(chat)
	if len(sent) == 0 {
		tb.Fatalf("nothing was sent to %d", chat)
	}
	return sent[len(sent)-1].form["text"]
}
