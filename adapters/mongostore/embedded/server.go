// Package embedded runs an in-process FerretDB v1 with its SQLite backend,
// so gatehouse has a MongoDB-wire store with nothing installed.
//
// The server listens only on a unix socket inside its data directory, which
// keeps it off the network. It is one process by construction: clients that
// need read-modify-write atomicity must serialize it themselves (FerretDB
// does not make it atomic; see DESIGN.md §4).
package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// socketName is the file name of the server's unix socket in Dir.
const socketName = "mongo.sock"

// maxSocketPath is the longest unix socket path accepted. Linux allows 107
// bytes (sun_path is 108 with the terminating NUL), macOS 103; the smaller
// keeps a data directory portable.
const maxSocketPath = 103

// Options configure an embedded server.
type Options struct {
	// Dir holds the SQLite databases and the unix socket; created if absent.
	Dir string
	// Logger receives FerretDB's warnings and errors; nil discards them.
	Logger *slog.Logger
}

// Server is an embedded FerretDB: New prepares it, Start runs it, Stop
// ends it. Start and Stop may alternate; data in Dir survives them.
type Server struct {
	dir    string
	sock   string
	logger *slog.Logger

	mu     sync.Mutex
	cancel context.CancelFunc // nil while not running
	done   chan struct{}      // closed when Run has returned
}

// New checks o and returns a Server that is not running yet. It touches
// nothing: the directory, the socket and the SQLite files wait for Start.
func New(o Options) (*Server, error) {
	if o.Dir == "" {
		return nil, errors.New("embedded: data dir is empty")
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return nil, fmt.Errorf("embedded: data dir %q: %w", o.Dir, err)
	}
	sock := filepath.Join(dir, socketName)
	if len(sock) > maxSocketPath {
		return nil, fmt.Errorf("embedded: socket path %q is %d bytes, longer than the %d a unix socket allows: choose a shorter data dir",
			sock, len(sock), maxSocketPath)
	}
	logger := o.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Server{dir: dir, sock: sock, logger: logger}, nil
}

// Start creates the data dir, starts FerretDB on a unix socket in it and
// returns once the server answers a ping. It refuses a dir whose socket
// another running server holds.
func (s *Server) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		return errors.New("embedded: start: already running")
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return fmt.Errorf("embedded: create data dir: %w", err)
	}
	if err := removeStaleSocket(s.sock); err != nil {
		return err
	}
	// ferretdb.New opens the SQLite databases already in dir, so it waits
	// for Start too.
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{Unix: s.sock},
		Handler:   "sqlite",
		SQLiteURL: "file:" + s.dir + "/",
		Logger:    slog.New(newQuietHandler(s.logger.Handler())),
	})
	if err != nil {
		return fmt.Errorf("embedded: create ferretdb in %s: %w", s.dir, err)
	}

	// Run must outlive Start's ctx: only Stop ends it.
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := f.Run(runCtx); err != nil {
			s.logger.Error("embedded ferretdb stopped", slog.Any("error", err))
		}
	}()

	if err := waitReady(ctx, s.URI(), done); err != nil {
		cancel()
		stopCtx, stopCancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer stopCancel()
		return errors.Join(err, waitDone(stopCtx, done))
	}
	s.cancel, s.done = cancel, done
	return nil
}

// Running returns the URI of a server already running in dir (another
// gatehouse process), so a command such as `gatehouse user` can use the same
// data while the service runs instead of opening the files twice.
func Running(dir string) (string, bool) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", false
	}
	sock := filepath.Join(abs, socketName)
	conn, err := net.DialTimeout("unix", sock, time.Second)
	if err != nil {
		return "", false
	}
	_ = conn.Close()
	return socketURI(sock), true
}

// socketURI is the MongoDB connection string of a unix socket, the same
// for a Server and for Running, so a client made for one reaches the other.
func socketURI(sock string) string {
	return "mongodb://" + url.PathEscape(sock) + "/"
}

// URI returns the MongoDB connection string of the server's unix socket.
// It is known from New on, before the server runs.
func (s *Server) URI() string { return socketURI(s.sock) }

// Stop shuts the server down and waits for it to close its databases, or
// for ctx to end; a Server that is not running has nothing to stop.
// Clients should disconnect first: FerretDB gives open connections a few
// seconds' grace before it closes them.
func (s *Server) Stop(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel == nil {
		return nil
	}
	s.cancel()
	if err := waitDone(ctx, s.done); err != nil {
		return err
	}
	s.cancel, s.done = nil, nil
	return nil
}

// waitDone waits for Run to return, or for ctx to end.
func waitDone(ctx context.Context, done <-chan struct{}) error {
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("embedded: stop: %w", ctx.Err())
	}
}

// waitReady pings uri until it answers, Run ends (done closes) or ctx ends.
func waitReady(ctx context.Context, uri string, done <-chan struct{}) error {
	c, err := mongo.Connect(options.Client().ApplyURI(uri).
		SetServerSelectionTimeout(time.Second).
		SetMaxPoolSize(1))
	if err != nil {
		return fmt.Errorf("embedded: client for readiness check: %w", err)
	}
	defer func() { _ = c.Disconnect(context.WithoutCancel(ctx)) }()

	for {
		err := c.Ping(ctx, nil)
		if err == nil {
			return nil
		}
		select {
		case <-done:
			return fmt.Errorf("embedded: ferretdb stopped before it was ready: %w", err)
		case <-ctx.Done():
			return fmt.Errorf("embedded: wait for ferretdb: %w", errors.Join(ctx.Err(), err))
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// removeStaleSocket deletes a socket file left by a server that is gone,
// and refuses to start next to one that still answers.
func removeStaleSocket(sock string) error {
	if _, err := os.Lstat(sock); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if conn, err := net.DialTimeout("unix", sock, time.Second); err == nil {
		_ = conn.Close()
		return fmt.Errorf("embedded: %s is in use by a running server", sock)
	}
	if err := os.Remove(sock); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("embedded: remove stale socket: %w", err)
	}
	return nil
}
