package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
)

// Server runs the handler on a listener with the configured timeouts.
type Server struct {
	opts Options
	log  *slog.Logger
	srv  *http.Server

	mu   sync.Mutex
	ln   net.Listener
	done chan struct{} // closed when Serve returns
}

// NewServer returns a server for h; nothing listens until Start.
func NewServer(o Options, log *slog.Logger, h http.Handler) *Server {
	o = o.withDefaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Server{
		opts: o,
		log:  log,
		srv: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: o.ReadHeaderTimeout,
			ReadTimeout:       o.ReadTimeout,
			WriteTimeout:      o.WriteTimeout,
			IdleTimeout:       o.IdleTimeout,
			MaxHeaderBytes:    o.MaxHeaderBytes,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		},
	}
}

// Start binds the address, so a port in use fails here rather than later,
// then serves in the background. It suits an fx OnStart hook.
func (s *Server) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln != nil {
		return errors.New("httpapi: server already started")
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", s.opts.Addr)
	if err != nil {
		return fmt.Errorf("httpapi: %w", err) // the error names the address
	}
	s.ln = ln
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("http server stopped", slog.Any("err", err))
		}
	}()
	s.log.Info("http server listening", slog.String("addr", ln.Addr().String()))
	return nil
}

// Stop stops accepting connections and waits for in-flight requests, up to
// Options.ShutdownTimeout or ctx's deadline, whichever comes first; then it
// closes whatever is left. It suits an fx OnStop hook.
func (s *Server) Stop(ctx context.Context) error {
	s.mu.Lock()
	done := s.done
	s.mu.Unlock()
	if done == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.ShutdownTimeout)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		_ = s.srv.Close()
		<-done
		return fmt.Errorf("httpapi: shutdown: %w", err)
	}
	<-done
	return nil
}

// Addr returns the bound address, such as "127.0.0.1:41234", or "" before Start.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}
