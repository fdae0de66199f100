package telegrambot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// SecretHeader carries the webhook's secret_token on every delivery.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// maxUpdateBytes bounds a delivered update; Telegram's are a few KiB.
const maxUpdateBytes = 1 << 20

// Webhook receives updates Telegram delivers, on every replica. It is an
// http.Handler for POST at the configured path.
type Webhook struct {
	b      *Bot
	secret []byte
}

// NewWebhook returns the receiver of deliveries carrying secret (the
// secret_token given to setWebhook); secret must not be empty.
func (b *Bot) NewWebhook(secret string) (*Webhook, error) {
	if secret == "" {
		return nil, errors.New("telegrambot: a webhook secret is required")
	}
	return &Webhook{b: b, secret: []byte(secret)}, nil
}

// ServeHTTP checks the secret header in constant time (403 without it),
// applies the update once, and answers 200; 503 when the update could not
// be claimed, so Telegram delivers it again.
func (h *Webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if subtle.ConstantTimeCompare([]byte(r.Header.Get(SecretHeader)), h.secret) != 1 {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	var u tgbotapi.Update
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxUpdateBytes)).Decode(&u); err != nil {
		http.Error(w, "bad update", http.StatusBadRequest)
		return
	}
	if err := h.b.HandleUpdate(r.Context(), u); err != nil {
		h.b.o.Log.WarnContext(r.Context(), "telegram webhook update not applied; Telegram delivers it again", "err", err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// SetWebhook points Telegram's deliveries at url with secret. The
// library's WebhookConfig has no secret_token, so the parameters are sent
// as they are.
func (b *Bot) SetWebhook(ctx context.Context, url, secret string) error {
	allowed, err := json.Marshal(allowedUpdates)
	if err != nil {
		return err
	}
	_, err = b.with(ctx).MakeRequest("setWebhook", tgbotapi.Params{
		"url": url, "secret_token": secret, "allowed_updates": string(allowed),
	})
	if err != nil {
		return errors.Join(errors.New("telegrambot: setWebhook"), err)
	}
	return nil
}
