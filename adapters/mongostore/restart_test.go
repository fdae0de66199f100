package mongostore_test

import (
	"context"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"gatehouse/adapters/mongostore"
	"gatehouse/adapters/mongostore/embedded"
	"gatehouse/core/fault"
	"gatehouse/core/identity"
)

// startEmbedded starts an embedded server in dir and connects to it,
// logging how long both took.
func startEmbedded(tb testing.TB, dir string) (*embedded.Server, *mongostore.Client) {
	tb.Helper()
	began := time.Now()
	s, err := embedded.New(embedded.Options{Dir: dir})
	if err != nil {
		tb.Fatalf("embedded.New: %v", err)
	}
	// The client is made before the server runs, as the app does.
	c, err := mongostore.New(mongostore.Options{URI: s.URI(), Serialize: true})
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	if err := s.Start(tb.Context()); err != nil {
		tb.Fatalf("embedded Start: %v", err)
	}
	if err := c.Start(tb.Context()); err != nil {
		tb.Fatalf("Start: %v", err)
	}
	tb.Logf("embedded Start+Connect: %v", time.Since(began))
	return s, c
}

func shutdown(tb testing.TB, s *embedded.Server, c *mongostore.Client) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := c.Close(ctx); err != nil {
		tb.Fatalf("Close: %v", err)
	}
	if err := s.Stop(ctx); err != nil {
		tb.Fatalf("Stop: %v", err)
	}
}

// Users, their handles and the Number sequence survive a restart of the
// embedded server on the same dir.
func TestEmbeddedRestartKeepsUsers(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	s, c := startEmbedded(t, dir)
	users := mongostore.NewUserStore(c)
	if _, err := users.Create(t.Context(), identity.User{ID: "a", Email: "a@example.com"}); err != nil {
		t.Fatalf("Create: %v", err)
	}
	shutdown(t, s, c)

	s, c = startEmbedded(t, dir)
	defer shutdown(t, s, c)
	users = mongostore.NewUserStore(c)
	got, err := users.ByEmail(t.Context(), "a@example.com")
	if err != nil || got.ID != "a" || got.Number != 1 {
		t.Fatalf("ByEmail after restart = %+v, %v; want user a, Number 1", got, err)
	}
	_, err = users.Create(t.Context(), identity.User{ID: "b", Email: "a@example.com"})
	if fault.ReasonOf(err) != "identity.email_taken" {
		t.Fatalf("Create with a's email after restart: %v, want email_taken", err)
	}
	b, err := users.Create(t.Context(), identity.User{ID: "b"})
	if err != nil || b.Number != 2 {
		t.Fatalf("Create after restart = Number %d, %v; want 2", b.Number, err)
	}
}

// TestClientErrors checks that options that can never work fail at New,
// and an absent server fails Start (New does not wait for it), as does
// Connect, which is New and Start in one.
func TestClientErrors(t *testing.T) {
	tests := []struct {
		name  string
		o     mongostore.Options
		code  fault.Code
		atNew bool // refused by New; otherwise New succeeds and Start refuses
	}{
		{"no URI", mongostore.Options{}, fault.Internal, true},
		{"bad URI", mongostore.Options{URI: "postgres://x"}, fault.Internal, true},
		{"nobody listening", mongostore.Options{
			URI:            "mongodb://" + url.PathEscape(filepath.Join(t.TempDir(), "none.sock")),
			ConnectTimeout: 200 * time.Millisecond,
		}, fault.Unavailable, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := mongostore.New(tt.o)
			if !tt.atNew {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				err = c.Start(t.Context())
			}
			if err == nil {
				t.Fatal("no error, want one")
			}
			if fault.CodeOf(err) != tt.code {
				t.Fatalf("err = %v (code %s), want code %s", err, fault.CodeOf(err), tt.code)
			}
			c, err = mongostore.Connect(t.Context(), tt.o)
			if err == nil {
				_ = c.Close(t.Context())
				t.Fatal("Connect succeeded, want an error")
			}
			if fault.CodeOf(err) != tt.code {
				t.Fatalf("Connect: %v (code %s), want code %s", err, fault.CodeOf(err), tt.code)
			}
		})
	}
}
