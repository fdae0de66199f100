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

// Server is a running embedded FerretDB.
type Server struct {
	uri    string
	cancel context.CancelFunc
	done   chan struct{}
}

// Start creates o.Dir, starts FerretDB on a unix socket in it and returns
// once the server answers a ping. Data in Dir survives Stop and Start.
func Start(ctx context.Context, o Options) (*Server, error) {
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
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("embedded: create data dir: %w", err)
	}
	if err := removeStaleSocket(sock); err != nil {
		return nil, err
	}

	logger := o.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{Unix: sock},
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + "/",
		Logger:    slog.New(newQuietHandler(logger.Handler())),
	})
	if err != nil {
		return nil, fmt.Errorf("embedded: create ferretdb in %s: %w", dir, err)
	}

	// Run must outlive Start's ctx: only Stop ends it.
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s := &Server{uri: f.MongoDBURI(), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		if err := f.Run(runCtx); err != nil {
			logger.Error("embedded ferretdb stopped", slog.Any("error", err))
		}
	}()

	if err := s.waitReady(ctx); err != nil {
		stopCtx, stopCancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer stopCancel()
		return nil, errors.Join(err, s.Stop(stopCtx))
	}
	return s, nil
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
	return "mongodb://" + url.PathEscape(sock) + "/", true
}

// URI returns the MongoDB connection string of the server's unix socket.
func (s *Server) URI() string { return s.uri }

// Stop shuts the server down and waits for it to close its databases, or
// for ctx to end. Clients should disconnect first: FerretDB gives open
// connections a few seconds' grace before it closes them.
func (s *Server) Stop(ctx context.Context) error {
	s.cancel()
	select {
	case <-s.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("embedded: stop: %w", ctx.Err())
	}
}

// waitReady pings the server until it answers, Run ends or ctx ends.
func (s *Server) waitReady(ctx context.Context) error {
	c, err := mongo.Connect(options.Client().ApplyURI(s.uri).
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
		case <-s.done:
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
