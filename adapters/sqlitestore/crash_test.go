package sqlitestore_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"gatehouse/adapters/sqlitestore"
	"gatehouse/core/identity"
	"gatehouse/core/links"
	"gatehouse/core/sessions"
)

// crashEnv names the database a re-executed test binary writes to until
// it is killed.
const crashEnv = "GATEHOUSE_SQLITESTORE_CRASH_DB"

// acked is how many acknowledged writes the parent waits for before the kill.
const acked = 600

// TestCrashLosesNoAcknowledgedWrite runs a burst of registrations, refresh
// rotations and link creations in a child process, kills it with SIGKILL
// in the middle, and checks that the database opens, passes
// integrity_check, and holds every write the child acknowledged (it prints
// each one after its commit returned).
func TestCrashLosesNoAcknowledgedWrite(t *testing.T) {
	if path := os.Getenv(crashEnv); path != "" {
		crashChild(path)
		return
	}
	if testing.Short() {
		t.Skip("runs a child process")
	}
	path := filepath.Join(t.TempDir(), sqlitestore.FileName)
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashLosesNoAcknowledgedWrite$")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acks []string
	lines := bufio.NewScanner(out)
	for len(acks) < acked && lines.Scan() {
		if ack, ok := strings.CutPrefix(lines.Text(), "ack "); ok {
			acks = append(acks, ack)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	for lines.Scan() { // acknowledgements written before the kill landed
		if ack, ok := strings.CutPrefix(lines.Text(), "ack "); ok {
			acks = append(acks, ack)
		}
	}
	_ = cmd.Wait()
	if len(acks) < acked {
		t.Fatalf("the child acknowledged %d writes before it ended, want at least %d", len(acks), acked)
	}

	db := openAt(t, path)
	if err := db.Check(t.Context()); err != nil {
		t.Fatalf("after the kill: %v", err)
	}
	users, sess, lnk := sqlitestore.NewUserStore(db), sqlitestore.NewSessionStore(db), sqlitestore.NewLinkStore(db)
	for _, a := range acks {
		kind, id, _ := strings.Cut(a, " ")
		var err error
		switch kind {
		case "user":
			_, err = users.ByID(t.Context(), id)
		case "link":
			_, err = lnk.LinkByAlias(t.Context(), id)
		case "rotation": // the old token is spent, the new one stored
			old, next, _ := strings.Cut(id, ">")
			if err = sess.ConsumeRefresh(t.Context(), old, time.Now()); err == nil {
				err = fmt.Errorf("token %s is unspent", old)
			} else {
				_, err = sess.Refresh(t.Context(), next)
			}
		}
		if err != nil {
			t.Fatalf("acknowledged %q is lost: %v", a, err)
		}
	}
	t.Logf("%d acknowledged writes, all present", len(acks))
}

// crashChild writes until it is killed, printing "ack <kind> <id>" after
// each write returned.
func crashChild(path string) {
	ctx := context.Background()
	db, err := sqlitestore.Open(ctx, sqlitestore.Options{Path: path})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	users, sess, lnk := sqlitestore.NewUserStore(db), sqlitestore.NewSessionStore(db), sqlitestore.NewLinkStore(db)
	fail := func(err error) {
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	now := time.Now()
	for i := 0; ; i++ {
		u := identity.User{ID: fmt.Sprint("u", i), Login: fmt.Sprint("login", i), CreatedAt: now}
		_, err := users.Create(ctx, u)
		fail(err)
		fmt.Printf("ack user %s\n", u.ID)

		f := sessions.Family{ID: fmt.Sprint("f", i), UserID: u.ID, CreatedAt: now}
		fail(sess.CreateFamily(ctx, f))
		first := sessions.RefreshToken{Hash: fmt.Sprint("h", i, "-1"), FamilyID: f.ID, UserID: u.ID, Seq: 1, IssuedAt: now}
		fail(sess.AddRefresh(ctx, first))
		fail(sess.ConsumeRefresh(ctx, first.Hash, now))
		next := first
		next.Hash, next.Seq = fmt.Sprint("h", i, "-2"), 2
		fail(sess.AddRefresh(ctx, next))
		fmt.Printf("ack rotation %s>%s\n", first.Hash, next.Hash)

		l := links.Link{ID: fmt.Sprint("l", i), Alias: fmt.Sprint("a", i), Target: "https://example.com", OwnerID: u.ID, CreatedAt: now}
		fail(lnk.CreateLink(ctx, l))
		fmt.Printf("ack link %s\n", l.Alias)
	}
}
