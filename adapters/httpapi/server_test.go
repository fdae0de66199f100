package httpapi_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"testing"

	"gatehouse/adapters/httpapi"
)

func TestServerStartStop(t *testing.T) {
	e := newEnv(t, httpapi.Options{}, httpapi.Deps{})
	srv := httpapi.NewServer(httpapi.Options{Addr: "127.0.0.1:0"}, slog.New(slog.DiscardHandler), e.handler)
	if srv.Addr() != "" {
		t.Fatalf("Addr before Start = %q", srv.Addr())
	}
	if err := srv.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + srv.Addr() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /healthz = %d", resp.StatusCode)
	}

	// A second server on the same address fails in Start, not later.
	dup := httpapi.NewServer(httpapi.Options{Addr: srv.Addr()}, nil, e.handler)
	if err := dup.Start(t.Context()); err == nil {
		_ = dup.Stop(context.Background())
		t.Fatal("Start on a taken address succeeded")
	}

	if err := srv.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get("http://" + srv.Addr() + "/healthz"); err == nil {
		t.Fatal("server still answers after Stop")
	}
}

// TestServerStopDrains stops the server while a request is in flight; the
// request still completes.
func TestServerStopDrains(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	slow := func(w http.ResponseWriter, _ *http.Request) {
		close(entered)
		<-release
		_, _ = io.WriteString(w, "done")
	}
	e := newEnv(t, httpapi.Options{}, httpapi.Deps{Mounts: []httpapi.Mounter{route("/slow", slow)}})
	srv := httpapi.NewServer(httpapi.Options{Addr: "127.0.0.1:0"}, nil, e.handler)
	if err := srv.Start(t.Context()); err != nil {
		t.Fatal(err)
	}

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + srv.Addr() + "/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- result{string(b), err}
	}()
	<-entered
	stopped := make(chan error, 1)
	go func() { stopped <- srv.Stop(context.Background()) }()
	// Release the handler only once Stop has closed the listener, so the
	// request is truly in flight during shutdown.
	for {
		conn, err := net.Dial("tcp", srv.Addr())
		if err != nil {
			break
		}
		_ = conn.Close()
		runtime.Gosched()
	}
	close(release)
	if r := <-got; r.err != nil || r.body != "done" {
		t.Fatalf("in-flight request = %q, %v", r.body, r.err)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("Stop: %v", err)
	}
}
