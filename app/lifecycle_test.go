package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/fx"

	"gatehouse/adapters/mongostore/embedded"
	"gatehouse/config"
	"gatehouse/core/fault"
)

// shortDir returns a fresh directory whose path leaves room for the
// embedded server's unix socket.
func shortDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.MkdirTemp("", "gh")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}

func loadConfig(tb testing.TB, env ...string) config.Config {
	tb.Helper()
	cfg, err := config.Load("", append([]string{"GATEHOUSE_HTTP_ADDR=127.0.0.1:0"}, env...))
	if err != nil {
		tb.Fatal(err)
	}
	return cfg
}

func startCtx(tb testing.TB) context.Context {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	tb.Cleanup(cancel)
	return ctx
}

// TestNewTouchesNothing checks that building the graph does no I/O: the
// data dir appears only when the app starts, and is released when it stops.
func TestNewTouchesNothing(t *testing.T) {
	data := filepath.Join(shortDir(t), "data")
	a := fx.New(Options(loadConfig(t, "GATEHOUSE_STORAGE_DRIVER=mongo", "GATEHOUSE_DATA_DIR="+data), Build{}, quietLog())...)
	if err := a.Err(); err != nil {
		t.Fatalf("fx.New: %v", err)
	}
	if _, err := os.Stat(data); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("after fx.New, stat %s = %v, want not exist", data, err)
	}
	if err := a.Start(startCtx(t)); err != nil {
		t.Fatalf("start: %v", err)
	}
	if _, ok := embedded.Running(data); !ok {
		t.Fatal("embedded server not running after start")
	}
	if err := a.Stop(startCtx(t)); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if _, ok := embedded.Running(data); ok {
		t.Fatal("embedded server still running after stop")
	}
}

// TestFailedStartStopsWhatStarted checks that when a later start hook fails
// (the signer's key file is missing), fx stops the database it started.
func TestFailedStartStopsWhatStarted(t *testing.T) {
	dir := shortDir(t)
	data := filepath.Join(dir, "data")
	cfg := loadConfig(t, "GATEHOUSE_STORAGE_DRIVER=mongo", "GATEHOUSE_DATA_DIR="+data, "GATEHOUSE_TOKENS_KEY_FILES="+filepath.Join(dir, "missing.pem"))
	a := fx.New(Options(cfg, Build{}, quietLog())...)
	if err := a.Err(); err != nil {
		t.Fatalf("fx.New: %v", err)
	}
	err := a.Start(startCtx(t))
	if err == nil || !strings.Contains(err.Error(), "key file") {
		t.Fatalf("start = %v, want a key file error", err)
	}
	if _, err := os.Stat(data); err != nil {
		t.Fatalf("the database never started before the signer: %v", err)
	}
	if _, ok := embedded.Running(data); ok {
		t.Fatal("embedded server still running after a failed start")
	}
}

// TestCommandJoinsRunningService checks that a command beside a running
// service uses the service's embedded server, and leaves it running.
func TestCommandJoinsRunningService(t *testing.T) {
	data := filepath.Join(shortDir(t), "data")
	cfg := loadConfig(t, "GATEHOUSE_STORAGE_DRIVER=mongo", "GATEHOUSE_DATA_DIR="+data)
	svc := fx.New(Options(cfg, Build{}, quietLog())...)
	if err := svc.Start(startCtx(t)); err != nil {
		t.Fatalf("start service: %v", err)
	}
	defer func() {
		if err := svc.Stop(startCtx(t)); err != nil {
			t.Errorf("stop service: %v", err)
		}
	}()
	err := WithUseCases(startCtx(t), cfg, Build{}, quietLog(), func(ctx context.Context, uc UseCases) error {
		// A lookup that reaches storage: nobody is there yet.
		if _, err := uc.Admin.Find(ctx, "nobody@example.com"); !fault.Is(err, fault.NotFound) {
			return fmt.Errorf("Find = %w, want not found", err)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("command beside the service: %v", err)
	}
	if _, ok := embedded.Running(data); !ok {
		t.Fatal("the command stopped the service's embedded server")
	}
}
