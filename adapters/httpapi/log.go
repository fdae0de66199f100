package httpapi

import (
	"context"
	"io"
	"log/slog"
)

// keyRequestID is the log attribute carrying the request id.
const keyRequestID = "request_id"

// NewLogHandler wraps h so that every record logged with a request's
// context (InfoContext, LogAttrs and the like), by any layer, carries the
// request id. The app wraps its root handler with it, so the use cases'
// lines join their request's. Loggers that already carry request_id (the
// one Logger returns) are left alone, so it never appears twice.
//
// When h was made by slog.NewTextHandler (json false) or
// slog.NewJSONHandler (json true) on w with no options but a level, w
// given here lets the access log's lines, one per request, go to w
// directly, as h would write them: w must then take concurrent writes of
// whole lines (app.LogOutput does). With w nil they go through h.
func NewLogHandler(h slog.Handler, w io.Writer, json bool) slog.Handler {
	if w == nil {
		return contextHandler{Handler: h}
	}
	return contextHandler{Handler: h, access: newAccessFormat(w, json)}
}

// contextHandler adds the request id found in the record's context.
type contextHandler struct {
	slog.Handler
	access *accessFormat // nil: access lines go through Handler
}

// Handle implements slog.Handler.
func (h contextHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r = r.Clone()
		r.AddAttrs(slog.String(keyRequestID, id))
	}
	return h.Handler.Handle(ctx, r)
}

// WithAttrs implements slog.Handler.
func (h contextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	for _, a := range attrs {
		if a.Key == keyRequestID {
			return h.Handler.WithAttrs(attrs)
		}
	}
	return contextHandler{Handler: h.Handler.WithAttrs(attrs)}
}

// WithGroup implements slog.Handler.
func (h contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{Handler: h.Handler.WithGroup(name)}
}
