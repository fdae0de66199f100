package loadgen

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunCountsEveryAnswer(t *testing.T) {
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		served.Add(1)
		http.Redirect(w, r, "https://example.com/", http.StatusFound)
	}))
	defer srv.Close()
	res, err := Run(context.Background(), Options{
		Clients:  4,
		Duration: 200 * time.Millisecond,
		Paths:    []string{"/a", "/b", "/missing"},
		BaseURL:  srv.URL,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests == 0 || res.Errors != 0 {
		t.Fatalf("result %+v", res)
	}
	if res.Redirects != served.Load() {
		t.Fatalf("client counted %d redirects, server served %d", res.Redirects, served.Load())
	}
	if res.Others == 0 || res.Redirects+res.Others != res.Requests {
		t.Fatalf("statuses do not add up: %+v", res)
	}
	if res.P50 <= 0 || res.P99 < res.P50 || res.Max < res.P99 {
		t.Fatalf("latencies out of order: %+v", res)
	}
}

func TestRunRefusesBadOptions(t *testing.T) {
	if _, err := Run(context.Background(), Options{}); err == nil {
		t.Fatal("want an error for empty options")
	}
}
