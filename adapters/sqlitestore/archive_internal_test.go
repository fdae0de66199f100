package sqlitestore

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gatehouse/ports"
)

// TestEveryTableIsArchived lists the tables and columns of a migrated
// database and fails on any that `gatehouse storage copy` would leave
// behind: a table must be a collection's (tables) with every column copied,
// or be rebuilt by the store itself and listed here with why.
func TestEveryTableIsArchived(t *testing.T) {
	derived := map[string]string{
		"health": "the readiness probe's one row, written anew at every check",
	}
	db, err := Open(t.Context(), Options{Path: filepath.Join(t.TempDir(), FileName)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	archived := map[string]table{}
	for _, c := range ports.Collections() {
		tb, err := tableOf(c)
		if err != nil {
			t.Fatalf("collection %s has no table: %v", c, err)
		}
		archived[tb.name] = tb
	}
	// Tables a collection's rows join, copied with it (its put writes them).
	for name, c := range map[string]ports.Collection{"link_redirects": ports.CollLinks} {
		tb, err := tableOf(c)
		if err != nil || !strings.Contains(tb.rows, name) {
			t.Fatalf("%s: collection %s does not join it (%q, %v)", name, c, tb.rows, err)
		}
		archived[name] = tb
	}
	names, err := queryAll(t.Context(), db.r, "list tables", func(row interface{ Scan(...any) error }) (string, error) {
		var n string
		return n, row.Scan(&n)
	}, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		tb, ok := archived[name]
		if !ok {
			if _, ok := derived[name]; !ok {
				t.Errorf("table %s is in no collection (ports.Collections, tables) and not listed as derived: a copy loses it", name)
			}
			continue
		}
		cols, err := queryAll(t.Context(), db.r, "list columns", func(row interface{ Scan(...any) error }) (string, error) {
			var n string
			return n, row.Scan(&n)
		}, `SELECT name FROM pragma_table_info(?)`, name)
		if err != nil {
			t.Fatal(err)
		}
		copied := strings.Split(tb.cols, ", ")
		for _, col := range cols {
			if !slices.Contains(copied, col) {
				t.Errorf("column %s.%s is not copied: add it to its collection's cols and record", name, col)
			}
		}
	}
	for name := range derived {
		if !slices.Contains(names, name) {
			t.Errorf("derived table %s does not exist: remove it from the list", name)
		}
	}
}
