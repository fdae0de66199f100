package embedded

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"
)

func TestQuietHandler(t *testing.T) {
	tests := []struct {
		name  string
		level slog.Level
		msg   string
		pass  bool
	}{
		{"debug", slog.LevelDebug, "Connection started", false},
		{"info", slog.LevelInfo, "Listening on Unix", false},
		{"failed command", slog.LevelWarn, "Response message:\n{ok: 0, errmsg: no such command: endSessions}", false},
		{"client gone", slog.LevelWarn, "Connection stopped", false},
		{"other warning", slog.LevelWarn, "Failed to accept connection", true},
		{"connection closed on error", slog.LevelError, "Response header: ...", true},
		{"error", slog.LevelError, "backend failed", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			next := slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})
			h := newQuietHandler(next).WithAttrs([]slog.Attr{slog.String("name", "listener")})
			ctx := context.Background()
			if h.Enabled(ctx, tt.level) {
				if err := h.Handle(ctx, slog.NewRecord(time.Time{}, tt.level, tt.msg, 0)); err != nil {
					t.Fatalf("Handle: %v", err)
				}
			}
			if got := buf.Len() > 0; got != tt.pass {
				t.Fatalf("record passed = %v, want %v (output %q)", got, tt.pass, buf.String())
			}
		})
	}
}
