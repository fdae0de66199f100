package httpapi

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"
)

// TestAccessFormatIsSlogs writes access lines with the access format and
// with slog's own handlers: the bytes are the same, in text and in JSON,
// and a line slog would quote or escape is left to slog.
func TestAccessFormatIsSlogs(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	lines := []accessLine{
		{at: time.Date(2026, 12, 1, 17, 10, 11, 123456789, time.UTC), id: "ABCDEFGHIJKLMNOPQRSTUVWXYZ", method: "GET",
			route: "/{alias:[A-Za-z0-9_-]+}", status: 302, duration: 123456 * time.Nanosecond},
		{at: time.Date(2026, 1, 2, 3, 4, 5, 0, paris), id: "3f2c1a9e-7b4d.4e6a:9c1f", method: "POST",
			route: "/v1/user/confirm/{code}", status: 200, bytes: 1234, duration: 2*time.Second + 5*time.Millisecond},
		{at: time.Date(2026, 6, 30, 23, 59, 59, 999999999, time.UTC), id: "x", method: "PATCH", route: "unmatched",
			status: 404, bytes: 57, duration: 0},
		{at: time.Now(), id: "now", method: "DELETE", route: "/urls/{id}", status: 204, duration: 17 * time.Microsecond},
		{at: time.Date(2026, 3, 1, 0, 0, 0, 5e5, time.UTC), id: "edge", method: "HEAD", route: "/{alias}/qr", status: 410,
			bytes: 0, duration: 999 * time.Millisecond},
	}
	for _, json := range []bool{false, true} {
		for _, l := range lines {
			var fast, lib bytes.Buffer
			if !newAccessFormat(&fast, json).write(l) {
				t.Fatalf("json %v: %+v left to slog", json, l)
			}
			var h slog.Handler = slog.NewTextHandler(&lib, nil)
			if json {
				h = slog.NewJSONHandler(&lib, nil)
			}
			if err := h.Handle(context.Background(), l.record()); err != nil {
				t.Fatal(err)
			}
			if fast.String() != lib.String() {
				t.Errorf("json %v:\n got %q\nwant %q", json, fast.String(), lib.String())
			}
		}
	}
	base := lines[0]
	for _, bad := range []accessLine{
		func() accessLine { l := base; l.method = "GET X"; return l }(),
		func() accessLine { l := base; l.route = `/a"b`; return l }(),
		func() accessLine { l := base; l.route = "/a=b"; return l }(),
		func() accessLine { l := base; l.route = `/a\b`; return l }(),
		func() accessLine { l := base; l.id = ""; return l }(),
		func() accessLine { l := base; l.route = "/é"; return l }(),
		func() accessLine { l := base; l.method = "G\tT"; return l }(),
		func() accessLine { l := base; l.at = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC); return l }(),
	} {
		var out bytes.Buffer
		if newAccessFormat(&out, false).write(bad) || out.Len() != 0 {
			t.Errorf("%+v written by the access format, want it left to slog", bad)
		}
	}
}
