package config

import (
	"regexp"
	"strings"
	"time"
)

// Telegram configures the Telegram bot: account linking, verified phones
// by contact, codes in the chat, and sign-in with Telegram. The bot is off
// while Token is empty.
type Telegram struct {
	// Token is the bot's token from @BotFather.
	Token string `yaml:"token"`
	// APIEndpoint is the Bot API's URL format with two %s, the token and
	// the method ("https://api.telegram.org/bot%s/%s" when empty): a
	// self-hosted Bot API server, or a test's fake.
	APIEndpoint string `yaml:"api_endpoint"`
	// Mode is polling (one replica at a time takes updates, by a lease in
	// the shared cache) or webhook (Telegram posts updates to every
	// replica at WebhookPath under public_url).
	Mode string `yaml:"mode"`
	// WebhookPath is where updates are posted in webhook mode.
	WebhookPath string `yaml:"webhook_path"`
	// WebhookSecret is the secret_token Telegram sends in
	// X-Telegram-Bot-Api-Secret-Token (1-256 of A-Z a-z 0-9 _ -); required
	// in webhook mode.
	WebhookSecret string `yaml:"webhook_secret"`
	// LeaseTTL is how long the polling lease lives unrenewed: a replica
	// takes over about this long after the polling one died.
	LeaseTTL time.Duration `yaml:"lease_ttl"`
	// PollTimeout is getUpdates' long-poll timeout.
	PollTimeout time.Duration `yaml:"poll_timeout"`
	// LoginMaxAge is how old signed Login Widget or Mini App data may be.
	LoginMaxAge time.Duration `yaml:"login_max_age"`
	// CreateAccounts makes a sign-in with Telegram of a Telegram user with
	// no linked account create one, linked to it.
	CreateAccounts bool `yaml:"create_accounts"`
}

func defaultTelegram() Telegram {
	return Telegram{
		Mode: "polling", WebhookPath: "/hooks/telegram", LeaseTTL: 30 * time.Second,
		PollTimeout: 25 * time.Second, LoginMaxAge: 5 * time.Minute, CreateAccounts: true,
	}
}

// BotOn reports whether the Telegram bot is configured.
func (c Config) BotOn() bool { return c.Telegram.Token != "" }

var webhookSecret = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

func (c Config) validateTelegram(bad badFunc) error {
	t := c.Telegram
	if !c.BotOn() {
		return nil
	}
	switch {
	case t.Mode != "polling" && t.Mode != "webhook":
		return bad("telegram.mode", "%q: want polling or webhook", t.Mode)
	case t.APIEndpoint != "" && (strings.Count(t.APIEndpoint, "%s") != 2 || !httpURL(strings.ReplaceAll(t.APIEndpoint, "%s", "x"))):
		return bad("telegram.api_endpoint", "%q: want an http(s) URL format with two %%s (token, method)", t.APIEndpoint)
	case t.LeaseTTL < 3*time.Second:
		return bad("telegram.lease_ttl", "%s: want at least 3s", t.LeaseTTL)
	case t.PollTimeout < time.Second || t.PollTimeout > 50*time.Second:
		return bad("telegram.poll_timeout", "%s: want 1s to 50s", t.PollTimeout)
	case t.LoginMaxAge < 10*time.Second || t.LoginMaxAge > 24*time.Hour:
		return bad("telegram.login_max_age", "%s: want 10s to 24h", t.LoginMaxAge)
	}
	if t.Mode != "webhook" {
		return nil
	}
	switch {
	case !webhookSecret.MatchString(t.WebhookSecret):
		return bad("telegram.webhook_secret", "want 1 to 256 of A-Z, a-z, 0-9, _ and - in webhook mode")
	case !strings.HasPrefix(t.WebhookPath, "/"):
		return bad("telegram.webhook_path", "%q: want a path such as /hooks/telegram", t.WebhookPath)
	case !strings.HasPrefix(c.PublicURL, "https://") && !c.Dev:
		return bad("public_url", "Telegram posts updates to https URLs only: set an https public_url for webhook mode")
	}
	return nil
}

// withBot puts the bot's channel first in an order of code channels that
// does not name it, when the bot is on: it reaches only phones whose
// owners linked Telegram and verified the phone, costs nothing, and hands
// every other phone on at once.
func (c Config) withBot(order []string) []string {
	if !c.BotOn() {
		return order
	}
	for _, n := range order {
		if n == "telegram" {
			return order
		}
	}
	return append([]string{"telegram"}, order...)
}
