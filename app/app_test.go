package app

import (
	"io"
	"log/slog"
	"strings"
	"testing"

	"go.uber.org/fx"

	"gatehouse/config"
)

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestGraphIsCompleteForEveryChoice proves, without starting anything, that
// each configuration's graph provides everything it needs.
func TestGraphIsCompleteForEveryChoice(t *testing.T) {
	tests := []struct {
		name string
		env  []string
	}{
		{"defaults: sqlite, memory cache", nil},
		{"embedded mongo", []string{"GATEHOUSE_STORAGE_DRIVER=mongo"}},
		{"external mongo", []string{"GATEHOUSE_MONGO_URI=mongodb://127.0.0.1:1"}},
		{"memory storage", []string{"GATEHOUSE_STORAGE_DRIVER=memory"}},
		{"redis cache", []string{"GATEHOUSE_REDIS_URL=redis://127.0.0.1:1/0"}},
		{"memory storage and redis", []string{"GATEHOUSE_STORAGE_DRIVER=memory", "GATEHOUSE_REDIS_URL=redis://127.0.0.1:1/0"}},
		{"no frontends", []string{"GATEHOUSE_FRONTENDS_AUTHV1_ENABLED=false"}},
		{"authv1 prefixed", []string{"GATEHOUSE_FRONTENDS_AUTHV1_PREFIX=/auth"}},
		{"smtp delivery", []string{"GATEHOUSE_NOTIFY_CHANNEL=smtp", "GATEHOUSE_NOTIFY_SMTP_HOST=mail.example.com", "GATEHOUSE_NOTIFY_SMTP_FROM=gatehouse <no-reply@example.com>"}},
		{"dev log delivery", []string{"GATEHOUSE_DEV=true"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := config.Load("", tt.env)
			if err != nil {
				t.Fatal(err)
			}
			if err := fx.ValidateApp(Options(cfg, Build{}, quietLog())...); err != nil {
				t.Fatalf("graph: %v", err)
			}
		})
	}
}

func TestUnknownDriverIsAnError(t *testing.T) {
	cfg := config.Default()
	cfg.Storage.Driver = "postgres"
	err := fx.ValidateApp(Options(cfg, Build{}, quietLog())...)
	if err == nil || !strings.Contains(err.Error(), `storage.driver "postgres": want sqlite, mongo or memory`) {
		t.Fatalf("got %v", err)
	}
}
