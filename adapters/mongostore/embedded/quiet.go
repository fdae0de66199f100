package embedded

import (
	"context"
	"log/slog"
	"strings"
)

// perRequestPrefixes start FerretDB messages that describe one client
// request or connection. FerretDB logs a failed command's whole wire
// exchange at warn (a duplicate key, or "no such command: endSessions" that
// the driver sends on every disconnect), and a connection closed by its
// client at warn: routine for a store, noise in an operator's log. A probe
// that only checks the socket answers (embedded.Running) closes its
// connection at once, which FerretDB reports as a failed deadline.
var perRequestPrefixes = [...]string{
	"Response header",
	"Response message",
	"Proxy response",
	"Connection stopped",
	"Header diff",
	"Failed to set deadline",
}

// quietHandler passes FerretDB's records at warn and above to next, minus
// per-request warnings. Errors always pass.
type quietHandler struct {
	next slog.Handler
}

func newQuietHandler(next slog.Handler) *quietHandler {
	return &quietHandler{next: next}
}

// Enabled implements slog.Handler.
func (h *quietHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return level >= slog.LevelWarn && h.next.Enabled(ctx, level)
}

// Handle implements slog.Handler.
func (h *quietHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Level < slog.LevelWarn || (r.Level < slog.LevelError && perRequest(r.Message)) {
		return nil
	}
	return h.next.Handle(ctx, r)
}

// WithAttrs implements slog.Handler.
func (h *quietHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &quietHandler{next: h.next.WithAttrs(attrs)}
}

// WithGroup implements slog.Handler.
func (h *quietHandler) WithGroup(name string) slog.Handler {
	return &quietHandler{next: h.next.WithGroup(name)}
}

func perRequest(msg string) bool {
	for _, p := range perRequestPrefixes {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}
