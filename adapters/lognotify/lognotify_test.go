package lognotify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"gatehouse/adapters/lognotify"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

func TestNotifyWritesOneRecord(t *testing.T) {
	tests := []struct {
		name string
		n    ports.Notification
		want map[string]any
	}{
		{
			name: "code only",
			n: ports.Notification{Channel: "email", Recipient: "ann@example.com", Name: "Ann",
				Locale: identity.LocaleEN, Purpose: identity.PurposeEmailConfirm, Code: "123456"},
			want: map[string]any{"level": "INFO", "msg": "notification", "channel": "email",
				"recipient": "ann@example.com", "purpose": "email_confirm", "code": "123456"},
		},
		{
			name: "link only",
			n: ports.Notification{Channel: "email", Recipient: "ann@example.com",
				Locale: identity.LocaleRU, Purpose: identity.PurposeEmailLogin, Link: "https://gh.example/l?t=a&b=c"},
			want: map[string]any{"level": "INFO", "msg": "notification", "channel": "email",
				"recipient": "ann@example.com", "purpose": "email_login", "link": "https://gh.example/l?t=a&b=c"},
		},
		{
			name: "code and link",
			n: ports.Notification{Channel: "email", Recipient: "bob@example.com",
				Purpose: identity.PurposePasswordReset, Code: "654321", Link: "https://gh.example/r/xyz"},
			want: map[string]any{"level": "INFO", "msg": "notification", "channel": "email",
				"recipient": "bob@example.com", "purpose": "password_reset", "code": "654321",
				"link": "https://gh.example/r/xyz"},
		},
		{
			name: "phone",
			n: ports.Notification{Channel: "sms", Recipient: "+79991234567",
				Purpose: identity.PurposePhoneLogin, Code: "0042"},
			want: map[string]any{"level": "INFO", "msg": "notification", "channel": "sms",
				"recipient": "+79991234567", "purpose": "phone_login", "code": "0042"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			// Drop the time so the whole record can be compared.
			h := slog.NewJSONHandler(&buf, &slog.HandlerOptions{
				ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
					if len(groups) == 0 && a.Key == slog.TimeKey {
						return slog.Attr{}
					}
					return a
				},
			})
			if err := lognotify.New(slog.New(h)).Notify(context.Background(), tt.n); err != nil {
				t.Fatalf("Notify: %v", err)
			}
			lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
			if len(lines) != 1 {
				t.Fatalf("got %d records, want 1:\n%s", len(lines), buf.String())
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(lines[0]), &got); err != nil {
				t.Fatalf("record is not JSON: %v: %s", err, lines[0])
			}
			assertSameRecord(t, got, tt.want)
		})
	}
}

func TestNotifyHonoursLevel(t *testing.T) {
	var buf bytes.Buffer
	h := slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn})
	n := ports.Notification{Channel: "email", Recipient: "ann@example.com", Purpose: identity.PurposeEmailConfirm, Code: "1"}
	if err := lognotify.New(slog.New(h)).Notify(context.Background(), n); err != nil {
		t.Fatalf("Notify: %v", err)
	}
	if buf.Len() != 0 {
		t.Fatalf("an info record passed a warn-level handler: %s", buf.String())
	}
}

func assertSameRecord(tb testing.TB, got, want map[string]any) {
	tb.Helper()
	for k, v := range want {
		if got[k] != v {
			tb.Errorf("attribute %q = %v, want %v", k, got[k], v)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			tb.Errorf("unexpected attribute %q = %v", k, got[k])
		}
	}
}
