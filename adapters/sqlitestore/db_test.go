package sqlitestore_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gatehouse/adapters/sqlitestore"
	"gatehouse/core/identity"
	"gatehouse/core/links"
)

var t0 = time.Date(2025, time.March, 14, 9, 26, 53, 589_000_000, time.UTC)

// TestReopenKeepsDataAndSchema checks that a second Start on the same file
// applies no migration twice and finds what the first wrote.
func TestReopenKeepsDataAndSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), sqlitestore.FileName)
	first, err := sqlitestore.Open(t.Context(), sqlitestore.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	u, err := sqlitestore.NewUserStore(first).Create(t.Context(), identity.User{ID: "u1", Login: "ann", CreatedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	again := openAt(t, path)
	got, err := sqlitestore.NewUserStore(again).ByLogin(t.Context(), "ann")
	if err != nil || got.Number != u.Number {
		t.Fatalf("after reopening: %+v, %v", got, err)
	}
}

// TestNewerSchemaIsRefused checks that a binary does not write a database
// a newer one migrated.
func TestNewerSchemaIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), sqlitestore.FileName)
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`PRAGMA user_version = 999`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, err = sqlitestore.Open(t.Context(), sqlitestore.Options{Path: path})
	if err == nil || !strings.Contains(err.Error(), "newer than this binary") {
		t.Fatalf("Open of a newer database: %v", err)
	}
}

// TestBackupWhileServingRestores takes a backup while writers run, then
// opens the backup file as a database (the documented restore: stop,
// put the file in place, start) and finds every link written before it.
func TestBackupWhileServingRestores(t *testing.T) {
	dir := t.TempDir()
	db := newDB(t)
	s := sqlitestore.NewLinkStore(db)
	for i := range 200 {
		if err := s.CreateLink(t.Context(), links.Link{ID: fmt.Sprint("before-", i), Alias: fmt.Sprint("b", i), Target: "https://example.com", OwnerID: "u", CreatedAt: t0}); err != nil {
			t.Fatal(err)
		}
	}
	stop := make(chan struct{})
	done := make(chan error)
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			if err := s.CreateLink(t.Context(), links.Link{ID: fmt.Sprint("during-", i), Alias: fmt.Sprint("d", i), Target: "https://example.com", OwnerID: "w", CreatedAt: t0}); err != nil {
				done <- err
				return
			}
		}
	}()
	backup := filepath.Join(dir, "backup.db")
	err := db.Backup(t.Context(), backup)
	close(stop)
	if werr := <-done; werr != nil {
		t.Fatalf("writer during the backup: %v", werr)
	}
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if err := db.Backup(t.Context(), backup); err == nil {
		t.Fatal("Backup over an existing file succeeded")
	}
	restored := openAt(t, backup)
	got, err := sqlitestore.NewLinkStore(restored).LinksByOwner(t.Context(), "u")
	if err != nil || len(got) != 200 {
		t.Fatalf("restored links: %d, %v; want 200", len(got), err)
	}
	if err := restored.Check(t.Context()); err != nil {
		t.Fatalf("integrity of the backup: %v", err)
	}
}
