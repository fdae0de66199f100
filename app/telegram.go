package app

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/gorilla/mux"
	"go.uber.org/fx"

	"gatehouse/adapters/httpapi"
	"gatehouse/adapters/httpapi/telegramapi"
	"gatehouse/adapters/telegrambot"
	"gatehouse/config"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/ports"
)

// telegramModule provides, when a bot token is set, the Telegram use cases
// (ports.TelegramLinks, ports.TelegramSignIn) and the bot, which joins the
// code channels as "telegram". Commands get them too (a code may go out
// through the bot); only a serving process takes updates (telegramServeModule).
func telegramModule(cfg config.Config) fx.Option {
	if !cfg.BotOn() {
		return fx.Module("telegram")
	}
	return fx.Module("telegram", fx.Provide(
		newTelegramUseCases,
		func(t *identitysvc.Telegram) ports.TelegramLinks { return t },
		func(t *identitysvc.Telegram) ports.TelegramSignIn { return t },
		newTelegramBot,
		fx.Annotate(func(b *telegrambot.Bot) ports.CodeChannel { return b }, fx.ResultTags(codeChannelsGroup)),
	))
}

// telegramServeModule mounts the link API and takes updates: by long
// polling on the replica holding the lease, or at the webhook path.
func telegramServeModule(cfg config.Config) fx.Option {
	if !cfg.BotOn() {
		return fx.Module("telegram-serve")
	}
	return fx.Module("telegram-serve", fx.Provide(
		fx.Annotate(newTelegramAPI, fx.ResultTags(`group:"mounts"`)),
		fx.Annotate(newTelegramUpdates, fx.ResultTags(`group:"mounts"`)),
	))
}

func newTelegramUseCases(cfg config.Config, s *identitysvc.Service, keys ports.CodeKeys) (*identitysvc.Telegram, error) {
	return identitysvc.NewTelegram(s, identitysvc.TelegramDeps{
		Keys: keys, BotToken: cfg.Telegram.Token, LoginMaxAge: cfg.Telegram.LoginMaxAge, CreateOnSignIn: cfg.Telegram.CreateAccounts,
	})
}

func newTelegramBot(cfg config.Config, links ports.TelegramLinks, sessions ports.Sessions, cache ports.Cache, clock ports.Clock, log *slog.Logger) (*telegrambot.Bot, error) {
	t := cfg.Telegram
	return telegrambot.New(telegrambot.Options{
		Token: t.Token, APIEndpoint: t.APIEndpoint, PollTimeout: t.PollTimeout, LeaseTTL: t.LeaseTTL,
		Now: clock.Now, Log: log.With("component", "telegram"),
	}, telegrambot.Deps{Links: links, Sessions: sessions, Cache: cache})
}

func newTelegramAPI(bot *telegrambot.Bot, links ports.TelegramLinks, sessions ports.Sessions) (httpapi.Mounter, error) {
	return telegramapi.New(telegramapi.Options{LinkURL: bot.LinkURL}, links, sessions)
}

// newTelegramUpdates schedules the taking of updates on the app's
// lifecycle. Polling: the poller starts with the app and, on stop, ends
// its long poll at once and gives the lease back. Webhook: setWebhook with
// the secret at start (every replica sets the same), and the route.
func newTelegramUpdates(lc fx.Lifecycle, cfg config.Config, bot *telegrambot.Bot, random io.Reader) (httpapi.Mounter, error) {
	t := cfg.Telegram
	if t.Mode == "webhook" {
		hook, err := bot.NewWebhook(t.WebhookSecret)
		if err != nil {
			return nil, err
		}
		url := cfg.BaseURL() + t.WebhookPath
		lc.Append(fx.Hook{OnStart: func(ctx context.Context) error { return bot.SetWebhook(ctx, url, t.WebhookSecret) }})
		return httpapi.MounterFunc(func(m *mux.Router) {
			m.Handle(t.WebhookPath, http.Handler(hook)).Methods(http.MethodPost)
		}), nil
	}
	id := make([]byte, 16)
	if _, err := io.ReadFull(random, id); err != nil {
		return nil, fmt.Errorf("telegram: replica id: %w", err)
	}
	poller := bot.NewPoller(hex.EncodeToString(id))
	lc.Append(fx.Hook{
		OnStart: func(context.Context) error { poller.Start(); return nil },
		OnStop:  poller.Stop,
	})
	return httpapi.MounterFunc(func(*mux.Router) {}), nil
}
