package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"time"

	"go.uber.org/fx"

	"gatehouse/adapters/httpapi"
	"gatehouse/config"
)

// NewLogger returns the process logger for cfg, writing to w, which must
// take concurrent writes of whole lines (a LogOutput, a file).
func NewLogger(cfg config.Log, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Level)) // validated by config
	opts := &slog.HandlerOptions{Level: level}
	json := cfg.Format == "json"
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if json {
		h = slog.NewJSONHandler(w, opts)
	}
	// Lines logged with a request's context carry its request id; the
	// access log's are written as h would, without its machinery.
	return slog.New(httpapi.NewLogHandler(h, w, json))
}

// BuildInfo reads the version and commit the binary was built from.
func BuildInfo() Build {
	b := Build{Version: "devel", Commit: "unknown"}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		b.Version = v
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" {
			b.Commit = s.Value
		}
	}
	return b
}

// Run starts the service, serves until ctx is done, then stops it, giving
// in-flight requests cfg.HTTP.ShutdownTimeout to finish.
func Run(ctx context.Context, cfg config.Config, build Build, log *slog.Logger) error {
	fxApp := fx.New(Options(cfg, build, log)...)
	if err := fxApp.Err(); err != nil {
		return fmt.Errorf("assemble: %w", err)
	}
	startCtx, cancel := context.WithTimeout(ctx, startTimeout+15*time.Second)
	defer cancel()
	if err := fxApp.Start(startCtx); err != nil {
		return fmt.Errorf("start: %w", err)
	}
	<-ctx.Done()
	log.Info("stopping", "deadline", cfg.HTTP.ShutdownTimeout)
	stopCtx, cancelStop := context.WithTimeout(context.Background(), cfg.HTTP.ShutdownTimeout+5*time.Second)
	defer cancelStop()
	if err := fxApp.Stop(stopCtx); err != nil {
		return fmt.Errorf("stop: %w", err)
	}
	log.Info("stopped")
	return nil
}
