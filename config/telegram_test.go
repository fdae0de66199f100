package config_test

import (
	"strings"
	"testing"

	"gatehouse/config"
)

func TestTelegramConfig(t *testing.T) {
	tests := []struct {
		name    string
		env     []string
		problem string // "" when valid
	}{
		{"off", nil, ""},
		{"polling", []string{"GATEHOUSE_TELEGRAM_TOKEN=1:x"}, ""},
		{"webhook without a secret", []string{"GATEHOUSE_TELEGRAM_TOKEN=1:x", "GATEHOUSE_TELEGRAM_MODE=webhook", "GATEHOUSE_PUBLIC_URL=https://id.example.com"}, "telegram.webhook_secret"},
		{"webhook over http", []string{"GATEHOUSE_TELEGRAM_TOKEN=1:x", "GATEHOUSE_TELEGRAM_MODE=webhook", "GATEHOUSE_TELEGRAM_WEBHOOK_SECRET=s3cret", "GATEHOUSE_PUBLIC_URL=http://id.example.com"}, "public_url"},
		{"webhook", []string{"GATEHOUSE_TELEGRAM_TOKEN=1:x", "GATEHOUSE_TELEGRAM_MODE=webhook", "GATEHOUSE_TELEGRAM_WEBHOOK_SECRET=s3cret", "GATEHOUSE_PUBLIC_URL=https://id.example.com"}, ""},
		{"unknown mode", []string{"GATEHOUSE_TELEGRAM_TOKEN=1:x", "GATEHOUSE_TELEGRAM_MODE=push"}, "telegram.mode"},
		{"endpoint without %s", []string{"GATEHOUSE_TELEGRAM_TOKEN=1:x", "GATEHOUSE_TELEGRAM_API_ENDPOINT=http://127.0.0.1:8081/bot"}, "telegram.api_endpoint"},
		{"telegram channel without a bot", []string{"GATEHOUSE_DELIVERY_CHANNELS=telegram"}, "telegram.token"},
	}
	for _, tt := range tests {
		_, err := config.Load("", tt.env)
		if (err == nil) != (tt.problem == "") || (err != nil && !strings.Contains(err.Error(), tt.problem)) {
			t.Errorf("%s: %v, want a problem with %q", tt.name, err, tt.problem)
		}
	}
}

func TestBotGoesFirst(t *testing.T) {
	cfg, err := config.Load("", []string{"GATEHOUSE_TELEGRAM_TOKEN=1:x", "GATEHOUSE_DELIVERY_CHANNELS=smshook",
		"GATEHOUSE_DELIVERY_SMSHOOK_URL=https://sms.example.com", "GATEHOUSE_DELIVERY_SMSHOOK_SECRET=k"})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cfg.CodeChannels(), ","); got != "telegram,smshook" {
		t.Fatalf("CodeChannels = %s", got)
	}
	cfg.Delivery.Channels = []string{"smshook", "telegram"}
	if got := strings.Join(cfg.CodeChannels(), ","); got != "smshook,telegram" {
		t.Fatalf("an order naming telegram was changed: %s", got)
	}
}
