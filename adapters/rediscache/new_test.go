package rediscache

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"gatehouse/core/fault"
)

func contextWithoutCancel(tb testing.TB) context.Context {
	return context.WithoutCancel(tb.Context())
}

func TestNewRefusesBadURL(t *testing.T) {
	tests := []struct{ name, url, want string }{
		{"empty", "", "URL is empty"},
		{"wrong scheme", "http://localhost:6379", "invalid URL scheme"},
		{"bad port", "redis://user:s3cret@localhost:port/0", "invalid port"},
		{"bad database", "redis://localhost:6379/db", "invalid database number"},
		{"unknown parameter", "redis://localhost:6379?color=blue", "unexpected option"},
		{"empty address in list", "localhost:6379,,localhost:6380", "empty address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(t.Context(), Options{URL: tt.url})
			if err == nil {
				_ = c.Close()
				t.Fatalf("New(%q) succeeded, want an error", tt.url)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "rediscache: ") || !strings.Contains(msg, tt.want) {
				t.Fatalf("New(%q) error %q, want it to start with rediscache: and say %q", tt.url, msg, tt.want)
			}
			if strings.Contains(msg, "s3cret") {
				t.Fatalf("New error leaks the password: %q", msg)
			}
		})
	}
}

func TestNewFailsOnUnreachableServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens there now
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	_, err = New(ctx, Options{URL: "redis://user:s3cret@" + addr + "/0?dial_timeout=500ms&max_retries=-1"})
	if err == nil {
		t.Fatalf("New succeeded against %s, where nothing listens", addr)
	}
	msg := err.Error()
	if !strings.Contains(msg, "rediscache: ping "+addr) || strings.Contains(msg, "s3cret") {
		t.Fatalf("New error %q, want it to name %s without the password", msg, addr)
	}
}

func TestURLSelectsTopology(t *testing.T) {
	tests := []struct {
		url     string
		cluster bool
	}{
		{"redis://localhost:6379/0", false},
		{"rediss://user:pw@localhost:6380/2", false},
		{"redis://localhost:26379/0?master_name=mymaster&addr=localhost:26380", false},
		{"redis://localhost:7000?addr=localhost:7001&addr=localhost:7002", true},
		{"localhost:6379", false},
		{"localhost:7000, localhost:7001", true},
	}
	for _, tt := range tests {
		client, err := newClient(tt.url)
		if err != nil {
			t.Fatalf("newClient(%q): %v", tt.url, err)
		}
		_, isCluster := client.(*redis.ClusterClient)
		_ = client.Close()
		if isCluster != tt.cluster {
			t.Fatalf("newClient(%q): cluster %v, want %v", tt.url, isCluster, tt.cluster)
		}
	}
}

func TestAddressListForm(t *testing.T) {
	mr := miniredis.RunT(t)
	c, err := New(t.Context(), Options{URL: mr.Addr(), Prefix: "p:"})
	if err != nil {
		t.Fatalf("New(%q): %v", mr.Addr(), err)
	}
	defer c.Close()
	if err := c.Set(t.Context(), "k", []byte("v"), 0); err != nil {
		t.Fatal(err)
	}
	if got, err := mr.Get("p:k"); err != nil || got != "v" {
		t.Fatalf("stored p:k = %q, %v; want v (keys carry the prefix)", got, err)
	}
}

func TestPrefixesIsolate(t *testing.T) {
	mr := miniredis.RunT(t)
	a, err := New(t.Context(), Options{URL: "redis://" + mr.Addr(), Prefix: "a:"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := New(t.Context(), Options{URL: "redis://" + mr.Addr(), Prefix: "b:"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := a.Set(t.Context(), "k", []byte("from a"), 0); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := b.Get(t.Context(), "k"); err != nil || ok {
		t.Fatalf("b sees a's key: ok %v, err %v", ok, err)
	}
	if n, err := b.Incr(t.Context(), "k", 1, time.Hour); err != nil || n != 1 {
		t.Fatalf("b.Incr = %d, %v; want 1, nil", n, err)
	}
	if err := b.Delete(t.Context(), "k"); err != nil {
		t.Fatal(err)
	}
	if v, ok, err := a.Get(t.Context(), "k"); err != nil || !ok || string(v) != "from a" {
		t.Fatalf("a.Get after b.Delete = %q, %v, %v; want from a", v, ok, err)
	}
	if ttl := mr.TTL("b:k"); ttl != 0 {
		t.Fatalf("b:k ttl %v after Delete, want gone", ttl)
	}
}

func TestUnavailable(t *testing.T) {
	mr := miniredis.RunT(t)
	c, err := New(t.Context(), Options{URL: "redis://" + mr.Addr() + "?max_retries=-1"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	mr.Close()
	calls := map[string]func() error{
		"Get":    func() error { _, _, err := c.Get(t.Context(), "k"); return err },
		"Set":    func() error { return c.Set(t.Context(), "k", nil, 0) },
		"SetNX":  func() error { _, err := c.SetNX(t.Context(), "k", nil, 0); return err },
		"Incr":   func() error { _, err := c.Incr(t.Context(), "k", 1, time.Second); return err },
		"Delete": func() error { return c.Delete(t.Context(), "k") },
		"Ping":   func() error { return c.Ping(t.Context()) },
	}
	for name, call := range calls {
		err := call()
		if fault.CodeOf(err) != fault.Unavailable || fault.ReasonOf(err) != "cache.unavailable" {
			t.Fatalf("%s with the server gone: %v, want unavailable cache.unavailable", name, err)
		}
	}
}

func TestIncrOverflow(t *testing.T) {
	c := newTestCache(t, "redis://"+miniredis.RunT(t).Addr())
	if err := c.Set(t.Context(), "n", []byte("9223372036854775807"), 0); err != nil {
		t.Fatal(err)
	}
	_, err := c.Incr(t.Context(), "n", 1, 0)
	if fault.CodeOf(err) != fault.Invalid || fault.ReasonOf(err) != "cache.overflow" {
		t.Fatalf("Incr past MaxInt64: %v, want invalid cache.overflow", err)
	}
}
