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
	root := slog.New(httpapi.NewLogHandler(slog.NewJSONHandler(logs, nil)))
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
