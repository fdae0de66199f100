package sqlitestore

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
)

// beforeStep returns the path of a new database brought through the schema
// steps before step n, and a connection to it for the rows a test writes
// in that schema; the test closes it before opening the store.
func beforeStep(t *testing.T, n int) (string, *sql.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), FileName)
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for i, step := range migrations()[:n-1] {
		if _, err := raw.Exec(step); err != nil {
			t.Fatalf("step %d: %v", i+1, err)
		}
	}
	if _, err := raw.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, n-1)); err != nil {
		t.Fatal(err)
	}
	return path, raw
}
