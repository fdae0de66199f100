package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStorageUsageExitsTwo(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"no command", []string{"storage"}, "usage: gatehouse"},
		{"unknown command", []string{"storage", "shrink"}, `unknown command "shrink"`},
		{"copy without stores", []string{"storage", "copy"}, "want --from and --to"},
		{"copy to itself", []string{"storage", "copy", "--from", "sqlite", "--to", "sqlite"}, "two stores"},
		{"backup without a file", []string{"storage", "backup"}, "want 1 argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, []string{"GATEHOUSE_DATA_DIR=" + t.TempDir()}, tt.args...)
			if code != 2 || !strings.Contains(stderr, tt.wantErr) {
				t.Fatalf("exit %d, stderr %q; want 2 and %q", code, stderr, tt.wantErr)
			}
		})
	}
}

// TestBackupWhileServingThenRestore backs up the running service's
// database and restores it as the README says: the file put in place of
// the database in a data dir, where the account is found.
func TestBackupWhileServingThenRestore(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the service")
	}
	data := t.TempDir()
	base := startService(t, "GATEHOUSE_DATA_DIR="+data)
	reg := `{"login":"olga_backup","password":"Zt8wQp3mN","email":"olgab@example.com","first_name":"Ольга","last_name":"Петрова"}`
	if code := postJSON(t, base+"/account/registration", reg, map[string]string{"Content-Type": "application/json"}, nil); code != 200 {
		t.Fatalf("registration: %d", code)
	}
	backup := filepath.Join(t.TempDir(), "gatehouse-backup.db")
	code, out, stderr := runCmd(t, []string{"GATEHOUSE_DATA_DIR=" + data}, "storage", "backup", backup)
	if code != 0 || !strings.Contains(out, "integrity ok") {
		t.Fatalf("backup: exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}
	code, _, stderr = runCmd(t, []string{"GATEHOUSE_DATA_DIR=" + data}, "storage", "backup", backup)
	if code != 1 || !strings.Contains(stderr, "exists") {
		t.Fatalf("backup over an existing file: exit %d, stderr %q", code, stderr)
	}

	restored := t.TempDir()
	raw, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(restored, "gatehouse.db"), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr = runCmd(t, []string{"GATEHOUSE_DATA_DIR=" + restored}, "user", "show", "olga_backup")
	if code != 0 || !strings.Contains(out, "olgab@example.com") {
		t.Fatalf("user show on the restored file: exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}
}

// TestStorageCopyBothWays copies the default SQLite database to the
// embedded MongoDB-wire server and back to another file.
func TestStorageCopyBothWays(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the embedded mongo server")
	}
	data, err := os.MkdirTemp("", "gh") // short: the embedded server's socket lives here
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(data) })
	env := []string{"GATEHOUSE_DATA_DIR=" + data}
	base := startService(t, env...)
	reg := `{"login":"olga_copy","password":"Zt8wQp3mN","email":"olgac@example.com","first_name":"Ольга","last_name":"Петрова"}`
	if code := postJSON(t, base+"/account/registration", reg, map[string]string{"Content-Type": "application/json"}, nil); code != 200 {
		t.Fatalf("registration: %d", code)
	}
	back := filepath.Join(t.TempDir(), "back.db")
	for _, step := range [][]string{
		{"storage", "copy", "--from", "sqlite", "--to", "mongo"},
		{"storage", "copy", "--from", "mongo", "--to", "sqlite:" + back},
	} {
		code, out, stderr := runCmd(t, env, step...)
		if code != 0 || !strings.Contains(out, "counts match") || !strings.Contains(out, "users              1 copied") {
			t.Fatalf("%q: exit %d\nstdout %s\nstderr %s", step, code, out, stderr)
		}
	}
	code, out, stderr := runCmd(t, append(env, "GATEHOUSE_STORAGE_SQLITE_PATH="+back), "user", "show", "olga_copy")
	if code != 0 || !strings.Contains(out, "olgac@example.com") {
		t.Fatalf("user show on the copied file: exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}
}
