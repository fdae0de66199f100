package sqlitestore

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/links"
)

// TestFullDiskIsUnavailableAndRecovers fills the database (max_page_count
// at its current size, as a full disk would) and checks that writes and
// the readiness probe fail as fault.Unavailable, and that writes work again
// once there is room, without reopening.
func TestFullDiskIsUnavailableAndRecovers(t *testing.T) {
	db, err := Open(t.Context(), Options{Path: filepath.Join(t.TempDir(), FileName)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := NewLinkStore(db)
	ctx := t.Context()
	var pages int
	if err := db.w.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	// The writer is one connection kept for good, so the limit holds for
	// every later write.
	if _, err := db.w.ExecContext(ctx, fmt.Sprintf(`PRAGMA max_page_count = %d`, pages)); err != nil {
		t.Fatal(err)
	}
	var full error
	for i := 0; i < 1000 && full == nil; i++ {
		full = s.CreateLink(ctx, bigLink(i))
	}
	if fault.CodeOf(full) != fault.Unavailable || fault.ReasonOf(full) != "storage.unavailable" {
		t.Fatalf("CreateLink on a full database: %v, want Unavailable storage.unavailable", full)
	}
	if _, err := s.LinkByID(ctx, "l0"); err != nil && fault.CodeOf(err) != fault.NotFound {
		t.Fatalf("a read on a full database: %v", err)
	}
	if _, err := db.w.ExecContext(ctx, `PRAGMA max_page_count = 1073741823`); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateLink(ctx, bigLink(5000)); err != nil {
		t.Fatalf("CreateLink after room was made: %v", err)
	}
	if err := db.Probe(ctx); err != nil {
		t.Fatalf("Probe after room was made: %v", err)
	}
}

// bigLink is a link whose target takes about a page.
func bigLink(i int) links.Link {
	target := fmt.Sprintf("https://example.com/%d/%0*d", i, 3000, 0)
	now := time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC)
	return links.Link{ID: fmt.Sprint("l", i), Alias: fmt.Sprint("a", i), Target: target, OwnerID: "u", CreatedAt: now, UpdatedAt: now}
}

// TestProbeFailsReadOnly checks that the readiness probe writes: on a
// database that refuses writes it reports Unavailable.
func TestProbeFailsReadOnly(t *testing.T) {
	db, err := Open(t.Context(), Options{Path: filepath.Join(t.TempDir(), FileName)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Probe(t.Context()); err != nil {
		t.Fatalf("Probe: %v", err)
	}
	if _, err := db.w.ExecContext(t.Context(), `PRAGMA query_only = 1`); err != nil {
		t.Fatal(err)
	}
	if err := db.Probe(t.Context()); fault.CodeOf(err) != fault.Unavailable {
		t.Fatalf("Probe of a read-only database: %v, want Unavailable", err)
	}
	if _, err := db.w.ExecContext(t.Context(), `PRAGMA query_only = 0`); err != nil {
		t.Fatal(err)
	}
	if err := db.Probe(t.Context()); err != nil {
		t.Fatalf("Probe once writable again: %v", err)
	}
}
