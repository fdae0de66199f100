package httpapi_test

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"gatehouse/adapters/httpapi"
)

// TestLogHandler logs from a "use case" logger that knows nothing of HTTP:
// its line carries the request id through the context, and the base's own
// lines carry it exactly once.
func TestLogHandler(t *testing.T) {
	logs := &logBuffer{}
	root := slog.New(httpapi.NewLogHandler(slog.NewJSONHandler(logs, nil), nil, false))
	useCase := root.With("component", "identitysvc")
	h := func(w http.ResponseWriter, r *http.Request) {
		useCase.InfoContext(r.Context(), "registered")
		useCase.Info("no context, no id")
	}
	router, err := httpapi.NewRouter(httpapi.Options{}, httpapi.Deps{Log: root, Mounts: []httpapi.Mounter{route("/x", h)}})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{handler: router, logs: logs}
	id := e.do(t, http.MethodGet, "/x", nil, nil).Header().Get(httpapi.HeaderRequestID)

	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 lines, got %q", lines)
	}
	for i, want := range []int{1, 0, 1} {
		if got := strings.Count(lines[i], `"request_id":"`+id+`"`); got != want {
			t.Errorf("line %q has request_id %d times, want %d", lines[i], got, want)
		}
	}
}

// TestAccessLogHandler serves through a logger from NewLogHandler and w:
// each request's access line is there once, with its request id, whether
// the access format wrote it or, for a route slog must quote, slog did.
func TestAccessLogHandler(t *testing.T) {
	for _, json := range []bool{false, true} {
		logs := &logBuffer{}
		var base slog.Handler = slog.NewTextHandler(logs, nil)
		if json {
			base = slog.NewJSONHandler(logs, nil)
		}
		root := slog.New(httpapi.NewLogHandler(base, logs, json))
		router, err := httpapi.NewRouter(httpapi.Options{}, httpapi.Deps{Log: root, Mounts: []httpapi.Mounter{
			route("/plain/{id}", text("ok")), route("/odd/{k:a=b}", text("ok")),
		}})
		if err != nil {
			t.Fatal(err)
		}
		e := &env{handler: router, logs: logs}
		var ids []string
		for _, path := range []string{"/plain/7", "/odd/a=b"} {
			ids = append(ids, e.do(t, http.MethodGet, path, nil, nil).Header().Get(httpapi.HeaderRequestID))
		}
		lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
		want := []string{`route=/plain/{id}`, `route="/odd/{k:a=b}"`}
		if json {
			want = []string{`"route":"/plain/{id}"`, `"route":"/odd/{k:a=b}"`}
		}
		if len(lines) != 2 {
			t.Fatalf("json %v: %d lines, want 2: %q", json, len(lines), lines)
		}
		for i, l := range lines {
			if !strings.Contains(l, want[i]) || strings.Count(l, ids[i]) != 1 || !strings.Contains(l, "http request") {
				t.Errorf("json %v: line %q, want %s and request id %s once", json, l, want[i], ids[i])
			}
		}
	}
}
