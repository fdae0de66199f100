package embedded_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"gatehouse/adapters/mongostore/embedded"
)

// syncBuffer is a log sink safe for FerretDB's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func start(tb testing.TB, dir string, logger *slog.Logger) *embedded.Server {
	tb.Helper()
	s, err := embedded.New(embedded.Options{Dir: dir, Logger: logger})
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	if err := s.Start(context.Background()); err != nil {
		tb.Fatalf("Start: %v", err)
	}
	return s
}

func stop(tb testing.TB, s *embedded.Server) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.Stop(ctx); err != nil {
		tb.Fatalf("Stop: %v", err)
	}
}

func connect(tb testing.TB, uri string) *mongo.Client {
	tb.Helper()
	c, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		tb.Fatalf("connect: %v", err)
	}
	return c
}

func disconnect(tb testing.TB, c *mongo.Client) {
	tb.Helper()
	if err := c.Disconnect(context.Background()); err != nil {
		tb.Fatalf("disconnect: %v", err)
	}
}

func TestDataSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

	s := start(t, dir, logger)
	if !strings.HasPrefix(s.URI(), "mongodb://") || !strings.Contains(s.URI(), "mongo.sock") {
		t.Fatalf("URI = %q, want a mongodb:// URI of the unix socket", s.URI())
	}
	c := connect(t, s.URI())
	coll := c.Database("restart").Collection("things")
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "a"}, {Key: "n", Value: int64(7)}}); err != nil {
		t.Fatalf("insert: %v", err)
	}
	// A failing command makes FerretDB log the exchange at warn; it must not reach us.
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "a"}}); !mongo.IsDuplicateKeyError(err) {
		t.Fatalf("second insert: %v, want duplicate key", err)
	}
	disconnect(t, c)
	stop(t, s)

	s = start(t, dir, logger)
	defer stop(t, s)
	c = connect(t, s.URI())
	defer disconnect(t, c)
	var got struct {
		N int64 `bson:"n"`
	}
	err := c.Database("restart").Collection("things").FindOne(ctx, bson.D{{Key: "_id", Value: "a"}}).Decode(&got)
	if err != nil {
		t.Fatalf("find after restart: %v", err)
	}
	if got.N != 7 {
		t.Fatalf("n = %d after restart, want 7", got.N)
	}
	for _, noise := range []string{"Response", "endSessions", "duplicate key", "level=DEBUG", "level=INFO"} {
		if strings.Contains(logs.String(), noise) {
			t.Errorf("log contains %q:\n%s", noise, logs.String())
		}
	}
}

func TestNewRefusesBadDirs(t *testing.T) {
	long := filepath.Join(t.TempDir(), strings.Repeat("d", 120))
	tests := []struct {
		name string
		dir  string
		want string
	}{
		{"empty", "", "data dir is empty"},
		{"socket path too long", long, "longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := embedded.New(embedded.Options{Dir: tt.dir})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New(%q) = %v, want error containing %q", tt.dir, err, tt.want)
			}
		})
	}
}

func TestStartRefusesRunningDir(t *testing.T) {
	dir := t.TempDir()
	s := start(t, dir, nil)
	defer stop(t, s)
	second, err := embedded.New(embedded.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	err = second.Start(context.Background())
	if err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second Start on a running dir = %v, want an in-use error", err)
	}
}

// TestNewTouchesNothing checks the two phases: New creates no directory
// and no socket, Stop before Start is a no-op, the URI known at New is the
// one Running reports once the server runs, and Start twice is refused.
func TestNewTouchesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	s, err := embedded.New(embedded.Options{Dir: dir})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("after New, stat %s = %v, want not exist", dir, err)
	}
	if _, ok := embedded.Running(dir); ok {
		t.Fatal("Running reports a server before Start")
	}
	if err := s.Stop(context.Background()); err != nil {
		t.Fatalf("Stop before Start: %v", err)
	}
	if err := s.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	defer stop(t, s)
	uri, ok := embedded.Running(dir)
	if !ok || uri != s.URI() {
		t.Fatalf("Running = %q, %v; want %q, true", uri, ok, s.URI())
	}
	if err := s.Start(context.Background()); err == nil || !strings.Contains(err.Error(), "already running") {
		t.Fatalf("second Start = %v, want an already-running error", err)
	}
}
