package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestCaptchaAndDeliveryChoices(t *testing.T) {
	tests := []struct {
		name         string
		env          []string
		wantErr      string // a fragment of the error, "" for none
		wantProvider string
		wantChannels []string
	}{
		{"defaults: fail closed, no channel", nil, "", "", nil},
		{"dev: none and log", []string{"GATEHOUSE_DEV=true"}, "", "none", []string{"log"}},
		{"none refused outside dev", []string{"GATEHOUSE_CAPTCHA_PROVIDER=none"}, "captcha.provider", "", nil},
		{"none forced", []string{"GATEHOUSE_CAPTCHA_PROVIDER=none", "GATEHOUSE_CAPTCHA_FORCE_NONE=true"}, "", "none", nil},
		{"turnstile without secret", []string{"GATEHOUSE_CAPTCHA_PROVIDER=turnstile"}, "captcha.secret", "", nil},
		{"recaptcha v3", []string{"GATEHOUSE_CAPTCHA_PROVIDER=recaptcha_v3", "GATEHOUSE_CAPTCHA_SECRET=s", "GATEHOUSE_CAPTCHA_MIN_SCORE=0.7"},
			"", "recaptcha_v3", nil},
		{"score out of range", []string{"GATEHOUSE_CAPTCHA_MIN_SCORE=1.5"}, "captcha.min_score", "", nil},
		{"unknown provider", []string{"GATEHOUSE_CAPTCHA_PROVIDER=geetest"}, "want turnstile", "", nil},
		{"log refused outside dev", []string{"GATEHOUSE_DELIVERY_CHANNELS=log"}, "delivery.channels", "", nil},
		{"unknown channel", []string{"GATEHOUSE_DEV=true", "GATEHOUSE_DELIVERY_CHANNELS=pigeon"}, "want telegram, tggateway, smshook, log", "", nil},
		{"tggateway without token", []string{"GATEHOUSE_DELIVERY_CHANNELS=tggateway"}, "delivery.tggateway.token", "", nil},
		{"smshook without url", []string{"GATEHOUSE_DELIVERY_CHANNELS=smshook", "GATEHOUSE_DELIVERY_SMSHOOK_SECRET=s"}, "delivery.smshook.url", "", nil},
		{"both", []string{"GATEHOUSE_DELIVERY_CHANNELS=tggateway,smshook", "GATEHOUSE_DELIVERY_TGGATEWAY_TOKEN=t",
			"GATEHOUSE_DELIVERY_SMSHOOK_SECRET=s", "GATEHOUSE_DELIVERY_SMSHOOK_URL=https://sms.example/hook"}, "", "", []string{"tggateway", "smshook"}},
		{"reports need https", []string{"GATEHOUSE_DELIVERY_CHANNELS=tggateway", "GATEHOUSE_DELIVERY_TGGATEWAY_TOKEN=t",
			"GATEHOUSE_DELIVERY_TGGATEWAY_REPORT_PATH=/hooks/tg"}, "report_path", "", nil},
		{"reports", []string{"GATEHOUSE_DELIVERY_CHANNELS=tggateway", "GATEHOUSE_DELIVERY_TGGATEWAY_TOKEN=t",
			"GATEHOUSE_DELIVERY_TGGATEWAY_REPORT_PATH=/hooks/tg", "GATEHOUSE_PUBLIC_URL=https://id.example"}, "", "", []string{"tggateway"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Load("", tt.env)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.CaptchaProvider(); got != tt.wantProvider {
				t.Errorf("CaptchaProvider = %q, want %q", got, tt.wantProvider)
			}
			if got := cfg.CodeChannels(); !reflect.DeepEqual(got, tt.wantChannels) {
				t.Errorf("CodeChannels = %v, want %v", got, tt.wantChannels)
			}
		})
	}
}

func TestDeliveryRoutesFromYAML(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.yaml")
	yaml := "dev: true\ndelivery:\n  channels: [log]\n  routes: {\"+7\": [smshook, log], \"+1\": [smshook]}\n" +
		"  smshook: {url: \"https://sms.example/hook\", secret: s}\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.UsedCodeChannels(); !reflect.DeepEqual(got, []string{"log", "smshook"}) {
		t.Fatalf("UsedCodeChannels = %v", got)
	}
	if err := os.WriteFile(path, []byte("dev: true\ndelivery:\n  routes: {\"7\": [log]}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path, nil); err == nil || !strings.Contains(err.Error(), "delivery.routes") {
		t.Fatalf("a prefix without + was accepted: %v", err)
	}
}
