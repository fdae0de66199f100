package telegrambot_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"gatehouse/adapters/telegrambot"
)

func TestWebhookNeedsTheSecret(t *testing.T) {
	f := newFixture(t)
	ann := f.account(t, "ann")
	hook, err := f.bot.NewWebhook("s3cret_token-1")
	if err != nil {
		t.Fatal(err)
	}
	update := message(1, 100, "en", "/start "+f.linkToken(t, ann.ID))
	post := func(secret string) int {
		req := httptest.NewRequest(http.MethodPost, "/hooks/telegram", strings.NewReader(update))
		if secret != "" {
			req.Header.Set(telegrambot.SecretHeader, secret)
		}
		rec := httptest.NewRecorder()
		hook.ServeHTTP(rec, req)
		return rec.Code
	}
	for _, secret := range []string{"", "wrong", "s3cret_token-", "s3cret_token-12"} {
		if code := post(secret); code != http.StatusForbidden {
			t.Fatalf("secret %q: %d, want 403", secret, code)
		}
	}
	if u := f.user(t, ann.ID); u.TelegramID != 0 {
		t.Fatal("an update without the secret was applied")
	}
	for range 2 {
		if code := post("s3cret_token-1"); code != http.StatusOK {
			t.Fatalf("with the secret: %d", code)
		}
	}
	if u := f.user(t, ann.ID); u.TelegramID != 100 {
		t.Fatal("the update was not applied")
	}
	if n := len(f.api.sent(100)); n != 2 {
		t.Fatalf("%d replies; the redelivery was applied again", n)
	}

	if err := f.bot.SetWebhook(t.Context(), "https://id.example.com/hooks/telegram", "s3cret_token-1"); err != nil {
		t.Fatal(err)
	}
	c := f.api.last(t, "setWebhook")
	if c.form["secret_token"] != "s3cret_token-1" || c.form["url"] != "https://id.example.com/hooks/telegram" || c.form["allowed_updates"] != `["message","callback_query"]` {
		t.Fatalf("setWebhook form %v", c.form)
	}
}
