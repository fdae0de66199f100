package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoadDefaults(t *testing.T) {
	cfg, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.HTTP.Addr != "127.0.0.1:8080" || cfg.DataDir != "./data" || cfg.Mongo.URI != "" || cfg.Redis.URL != "" || cfg.Dev {
		t.Fatalf("defaults: %+v", cfg)
	}
	if cfg.Tokens.AccessTTL != 30*time.Minute || cfg.Tokens.RefreshTTL != 720*time.Hour {
		t.Fatalf("token lifetimes: %+v", cfg.Tokens)
	}
}

func TestEnvOverrides(t *testing.T) {
	cfg, err := Load("", []string{
		"GATEHOUSE_HTTP_ADDR=:9090",
		"GATEHOUSE_DATA_DIR=/var/lib/gatehouse",
		"GATEHOUSE_MONGO_URI=mongodb://db:27017",
		"GATEHOUSE_REDIS_URL=redis://cache:6379/0",
		"GATEHOUSE_TOKENS_ACCESS_TTL=15m",
		"GATEHOUSE_TOKENS_KEY_FILES=a.pem, b.pem",
		"GATEHOUSE_PASSWORD_CONCURRENCY=4",
		"GATEHOUSE_FRONTENDS_AUTHV1_ENABLED=false",
		"GATEHOUSE_CONFIG=ignored.yaml",
		"PATH=/bin",
	})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.HTTP.Addr != ":9090" || cfg.DataDir != "/var/lib/gatehouse" || cfg.Mongo.URI != "mongodb://db:27017" ||
		cfg.Redis.URL != "redis://cache:6379/0" || cfg.Tokens.AccessTTL != 15*time.Minute ||
		strings.Join(cfg.Tokens.KeyFiles, "|") != "a.pem|b.pem" || cfg.Password.Concurrency != 4 || cfg.Frontends.AuthV1.Enabled {
		t.Fatalf("overrides not applied: %+v", cfg)
	}
}

func TestFileThenEnv(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.yaml")
	if err := os.WriteFile(path, []byte("http:\n  addr: 0.0.0.0:7000\ntokens:\n  access_ttl: 10m\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path, []string{"GATEHOUSE_TOKENS_ACCESS_TTL=20m"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.HTTP.Addr != "0.0.0.0:7000" || cfg.Tokens.AccessTTL != 20*time.Minute {
		t.Fatalf("got %+v", cfg)
	}
}

func TestExampleFileLoads(t *testing.T) {
	cfg, err := Load("gatehouse.example.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.HTTP.Addr != Default().HTTP.Addr {
		t.Fatalf("the example should show the defaults, got addr %q", cfg.HTTP.Addr)
	}
}

func TestExampleDocumentsEveryKey(t *testing.T) {
	data, err := os.ReadFile("gatehouse.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, env := range envNames() {
		if !strings.Contains(string(data), env) {
			t.Errorf("gatehouse.example.yaml does not mention %s", env)
		}
	}
}

func TestStorageDriver(t *testing.T) {
	tests := []struct {
		name       string
		env        []string
		want, path string
	}{
		{"default: sqlite in the data dir", nil, "sqlite", filepath.Join("data", "gatehouse.db")},
		{"a mongo URI: mongo", []string{"GATEHOUSE_MONGO_URI=mongodb://db"}, "mongo", filepath.Join("data", "gatehouse.db")},
		{"chosen mongo: the embedded server", []string{"GATEHOUSE_STORAGE_DRIVER=mongo"}, "mongo", filepath.Join("data", "gatehouse.db")},
		{"chosen sqlite beside a URI", []string{"GATEHOUSE_STORAGE_DRIVER=sqlite", "GATEHOUSE_MONGO_URI=mongodb://db"}, "sqlite", filepath.Join("data", "gatehouse.db")},
		{"an explicit file", []string{"GATEHOUSE_STORAGE_SQLITE_PATH=/var/lib/g.db"}, "sqlite", "/var/lib/g.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Load("", tt.env)
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.StorageDriver(); got != tt.want {
				t.Fatalf("StorageDriver() = %q, want %q", got, tt.want)
			}
			if got := cfg.SQLitePath(); got != tt.path {
				t.Fatalf("SQLitePath() = %q, want %q", got, tt.path)
			}
		})
	}
}

func TestDerivedSettings(t *testing.T) {
	cfg := Default()
	if cfg.NotifyChannel() != "none" || cfg.BaseURL() != "http://127.0.0.1:8080" {
		t.Fatalf("defaults: channel %q, base %q", cfg.NotifyChannel(), cfg.BaseURL())
	}
	cfg.Dev, cfg.PublicURL = true, "https://id.example.com/"
	if cfg.NotifyChannel() != "log" || cfg.BaseURL() != "https://id.example.com" {
		t.Fatalf("dev: channel %q, base %q", cfg.NotifyChannel(), cfg.BaseURL())
	}
}

func TestInvalid(t *testing.T) {
	tests := []struct {
		name    string
		env     []string
		file    string
		wantKey string
		wantMsg string
	}{
		{"addr", []string{"GATEHOUSE_HTTP_ADDR=8080"}, "", "http.addr", "host:port"},
		{"duration", []string{"GATEHOUSE_TOKENS_ACCESS_TTL=soon"}, "", "tokens.access_ttl", "not a duration"},
		{"bool", []string{"GATEHOUSE_DEV=maybe"}, "", "dev", "not a boolean"},
		{"number", []string{"GATEHOUSE_PASSWORD_CONCURRENCY=lots"}, "", "password.concurrency", "whole number"},
		{"queue", []string{"GATEHOUSE_PASSWORD_QUEUE=-1"}, "", "password.queue", "must not be negative"},
		{"queue wait", []string{"GATEHOUSE_PASSWORD_QUEUE_WAIT=0s"}, "", "password.queue_wait", "must be positive"},
		{"queue wait past the write timeout", []string{"GATEHOUSE_PASSWORD_QUEUE_WAIT=15s"}, "", "password.queue_wait", "under half of http.write_timeout (30s)"},
		{"driver", []string{"GATEHOUSE_STORAGE_DRIVER=postgres"}, "", "storage.driver", "want sqlite, mongo or memory"},
		{"mongo uri", []string{"GATEHOUSE_MONGO_URI=http://x"}, "", "mongo.uri", "mongodb://"},
		{"redis url", []string{"GATEHOUSE_REDIS_URL=localhost:6379"}, "", "redis.url", "redis://"},
		{"algorithm", []string{"GATEHOUSE_TOKENS_ALGORITHM=HS256"}, "", "tokens.algorithm", "EdDSA"},
		{"dev with external mongo", []string{"GATEHOUSE_DEV=true", "GATEHOUSE_MONGO_URI=mongodb://db"}, "", "dev", "force_dev"},
		{"prefix", []string{"GATEHOUSE_FRONTENDS_AUTHV1_PREFIX=auth/"}, "", "frontends.authv1.prefix", "leading slash"},
		{"log channel outside dev", []string{"GATEHOUSE_NOTIFY_CHANNEL=log"}, "", "notify.channel", "dev mode"},
		{"smtp without host", []string{"GATEHOUSE_NOTIFY_CHANNEL=smtp"}, "", "notify.smtp.host", "must be set"},
		{"redirect status", []string{"GATEHOUSE_LINKS_REDIRECT_STATUS=200"}, "", "links.redirect_status", "301, 302, 307 or 308"},
		{"public url", []string{"GATEHOUSE_PUBLIC_URL=example.com"}, "", "public_url", "absolute http(s) URL"},
		{"opaque ttl", []string{"GATEHOUSE_SESSIONS_OPAQUE_MAX_TTL=1h"}, "", "sessions.opaque_max_ttl", "at least opaque_idle_ttl"},
		{"unknown env", []string{"GATEHOUSE_HTTP_ADRR=:1"}, "", "", "GATEHOUSE_HTTP_ADRR is not a setting"},
		{"unknown file key", nil, "htp:\n  addr: x\n", "", "field htp not found"},
		{"missing file", nil, "-", "", "read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := ""
			switch tt.file {
			case "":
			case "-":
				path = filepath.Join(t.TempDir(), "absent.yaml")
			default:
				path = filepath.Join(t.TempDir(), "g.yaml")
				if err := os.WriteFile(path, []byte(tt.file), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Load(path, tt.env)
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("want *Error, got %v", err)
			}
			if ce.Key != tt.wantKey || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("got %q (key %q), want key %q and %q", err, ce.Key, tt.wantKey, tt.wantMsg)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("message must be one line: %q", err)
			}
		})
	}
	if _, err := Load("", []string{"GATEHOUSE_DEV=true", "GATEHOUSE_MONGO_URI=mongodb://db", "GATEHOUSE_FORCE_DEV=true"}); err != nil {
		t.Fatalf("force_dev should allow dev with external mongo: %v", err)
	}
}

// TestValidateReportsOneProblemEveryRun: with several values wrong at once
// the first problem reported is the same on every run (no map order).
func TestValidateReportsOneProblemEveryRun(t *testing.T) {
	c := Default()
	c.HTTP.ReadTimeout, c.HTTP.IdleTimeout, c.HTTP.ShutdownTimeout = -1, -1, -1
	c.Frontends.AuthV1.Prefix, c.Frontends.Shortener.Prefix = "no-slash", "no-slash"
	first := c.Validate()
	if first == nil {
		t.Fatal("Validate: nil, want a problem")
	}
	for range 200 {
		if err := c.Validate(); err == nil || err.Error() != first.Error() {
			t.Fatalf("Validate = %v, then %v", first, err)
		}
	}
}

// envNames returns every environment override gatehouse reads, in order.
func envNames() []string {
	var cfg Config
	var names []string
	for _, f := range fields(&cfg) {
		names = append(names, f.env)
	}
	return names
}
