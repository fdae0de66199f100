package app

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/fx"

	"gatehouse/adapters/mongostore/embedded"
	"gatehouse/core/fault"
)

// TestDefaultStorageIsOneSQLiteFile starts the defaults and finds the
// SQLite file in the data dir, no embedded server, and a command beside
// the service reading the same file.
func TestDefaultStorageIsOneSQLiteFile(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	cfg := loadConfig(t, "GATEHOUSE_DATA_DIR="+data)
	a := fx.New(Options(cfg, Build{}, quietLog())...)
	if _, err := os.Stat(data); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("after fx.New, stat %s = %v, want not exist", data, err)
	}
	if err := a.Start(startCtx(t)); err != nil {
		t.Fatalf("start: %v", err)
	}
	defer func() {
		if err := a.Stop(startCtx(t)); err != nil {
			t.Errorf("stop: %v", err)
		}
	}()
	if _, err := os.Stat(filepath.Join(data, "gatehouse.db")); err != nil {
		t.Fatalf("the SQLite file: %v", err)
	}
	if _, ok := embedded.Running(data); ok {
		t.Fatal("the embedded mongo server runs on the default storage")
	}
	err := WithUseCases(startCtx(t), cfg, Build{}, quietLog(), func(ctx context.Context, uc UseCases) error {
		_, err := uc.Admin.Find(ctx, "nobody@example.com")
		if !fault.Is(err, fault.NotFound) {
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatalf("command beside the service: %v", err)
	}
}

// TestLegacyDataDirIsNamed starts on a data dir that holds an earlier
// version's embedded MongoDB-wire database and no SQLite file, and checks
// that start-up warns, naming the directory and the command that moves it.
func TestLegacyDataDirIsNamed(t *testing.T) {
	data := t.TempDir()
	if err := os.WriteFile(filepath.Join(data, "gatehouse.sqlite"), []byte("FerretDB's file"), 0o600); err != nil {
		t.Fatal(err)
	}
	var logs logRecords
	log := slog.New(slog.NewTextHandler(&logs, nil))
	a := fx.New(Options(loadConfig(t, "GATEHOUSE_DATA_DIR="+data), Build{}, log)...)
	if err := a.Start(startCtx(t)); err != nil {
		t.Fatalf("start: %v", err)
	}
	if err := a.Stop(startCtx(t)); err != nil {
		t.Fatalf("stop: %v", err)
	}
	out := logs.String()
	for _, want := range []string{"level=WARN", data, "gatehouse storage copy --from mongo --to sqlite"} {
		if !strings.Contains(out, want) {
			t.Fatalf("start-up log does not mention %q:\n%s", want, out)
		}
	}
}
