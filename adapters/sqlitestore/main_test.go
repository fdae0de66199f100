package sqlitestore_test

import (
	"path/filepath"
	"testing"

	"gatehouse/adapters/sqlitestore"
)

// newDB opens a fresh database in tb's temporary directory, closed when tb ends.
func newDB(tb testing.TB) *sqlitestore.DB {
	tb.Helper()
	return openAt(tb, filepath.Join(tb.TempDir(), sqlitestore.FileName))
}

// openAt opens the database at path, closed when tb ends.
func openAt(tb testing.TB, path string) *sqlitestore.DB {
	tb.Helper()
	db, err := sqlitestore.Open(tb.Context(), sqlitestore.Options{Path: path})
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return db
}
