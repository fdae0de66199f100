package app

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gatehouse/adapters/sqlitestore"
	"gatehouse/core/identity"
	"gatehouse/core/links"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

var copyT0 = time.Date(2025, time.March, 14, 9, 26, 53, 589_000_000, time.UTC)

// populate writes records of every collection through the stores, more
// than one copy batch of links among them.
func populate(tb testing.TB, db *sqlitestore.DB) {
	tb.Helper()
	ctx := tb.Context()
	users, sess := sqlitestore.NewUserStore(db), sqlitestore.NewSessionStore(db)
	chal, lnk := sqlitestore.NewChallengeStore(db), sqlitestore.NewLinkStore(db)
	check := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	for i := range 5 {
		_, err := users.Create(ctx, identity.User{ID: fmt.Sprint("u", i), Login: fmt.Sprint("login", i), Email: fmt.Sprint("u", i, "@example.com"),
			Roles: []string{"user"}, Addresses: []identity.Address{{ID: "a", Name: "main", Address: "0xabc"}}, CreatedAt: copyT0})
		check(err)
		f := sessions.Family{ID: fmt.Sprint("f", i), UserID: fmt.Sprint("u", i), CreatedAt: copyT0, ExpiresAt: copyT0.Add(time.Hour)}
		check(sess.CreateFamily(ctx, f))
		check(sess.AddRefresh(ctx, sessions.RefreshToken{Hash: fmt.Sprint("h", i), FamilyID: f.ID, UserID: f.UserID, Seq: 1, IssuedAt: copyT0}))
		check(sess.SaveDevice(ctx, sessions.Device{ID: fmt.Sprint("d", i), UserID: f.UserID, Name: "phone", LastSeen: copyT0}))
		check(chal.AddChallenge(ctx, identity.Challenge{ID: fmt.Sprint("c", i), Purpose: identity.PurposeEmailConfirm, UserID: f.UserID, CreatedAt: copyT0, ExpiresAt: copyT0.Add(time.Hour)}))
	}
	check(users.Delete(ctx, "u4")) // its Number stays taken
	check(sess.ConsumeRefresh(ctx, "h1", copyT0))
	check(sess.RevokeFamily(ctx, "f2", copyT0, "logout"))
	check(chal.ConsumeChallenge(ctx, "c3"))
	check(sqlitestore.NewKeyStore(db).AddKey(ctx, sessions.SigningKey{ID: "k1", Algorithm: "EdDSA", Generation: 1, PrivatePEM: []byte("p"), PublicPEM: []byte("q"), CreatedAt: copyT0}))
	for i := range copyBatch + 20 {
		check(lnk.CreateLink(ctx, links.Link{ID: fmt.Sprintf("l%04d", i), Alias: fmt.Sprint("a", i), Target: "https://example.com", OwnerID: "u0", Redirects: int64(i), CreatedAt: copyT0}))
	}
}

// everything reads every record of a, by collection.
func everything(tb testing.TB, a ports.Archive) map[ports.Collection][]ports.Record {
	tb.Helper()
	out := map[ports.Collection][]ports.Record{}
	for _, c := range ports.Collections() {
		after := ""
		for {
			rs, err := a.Scan(tb.Context(), c, after, 100)
			if err != nil {
				tb.Fatal(err)
			}
			if len(rs) == 0 {
				break
			}
			out[c] = append(out[c], rs...)
			after = rs[len(rs)-1].Key
		}
	}
	return out
}

// TestCopySQLiteToMongoAndBack moves a populated SQLite database to the
// embedded MongoDB-wire server and back to a new SQLite file, twice over
// (idempotent), once after a copy cut short (resumable), and finds every
// record equal and the stores working on the result.
func TestCopySQLiteToMongoAndBack(t *testing.T) {
	ctx := startCtx(t)
	cfg := loadConfig(t, "GATEHOUSE_DATA_DIR="+shortDir(t))
	first := filepath.Join(t.TempDir(), "first.db")
	src, closeSrc, err := OpenArchive(ctx, cfg, "sqlite:"+first, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer closeSrc(context.Background())
	db, err := sqlitestore.Open(ctx, sqlitestore.Options{Path: first})
	if err != nil {
		t.Fatal(err)
	}
	populate(t, db)
	db.Close()

	mongo, closeMongo, err := OpenArchive(ctx, cfg, "mongo", quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer closeMongo(context.Background())
	var out bytes.Buffer
	for range 2 {
		if err := CopyStorage(ctx, src, mongo, &out); err != nil {
			t.Fatalf("copy to mongo: %v\n%s", err, out.String())
		}
	}
	want := everything(t, src)
	if got := everything(t, mongo); !reflect.DeepEqual(got, want) {
		t.Fatalf("mongo after the copy differs from the source")
	}

	second := filepath.Join(t.TempDir(), "second.db")
	back, closeBack, err := OpenArchive(ctx, cfg, "sqlite:"+second, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer closeBack(context.Background())
	// A copy cut short: the first page of links only.
	page, err := mongo.Scan(ctx, ports.CollLinks, "", 100)
	if err != nil || back.Put(ctx, ports.CollLinks, page) != nil {
		t.Fatalf("partial copy: %v", err)
	}
	if err := CopyStorage(ctx, mongo, back, &out); err != nil {
		t.Fatalf("copy back: %v\n%s", err, out.String())
	}
	if got := everything(t, back); !reflect.DeepEqual(got, want) {
		t.Fatalf("sqlite after the round trip differs from the source")
	}
	if !strings.Contains(out.String(), "counts match") {
		t.Fatalf("copy output: %s", out.String())
	}

	// The stores work on the copy: handles find users, Numbers go on
	// after the deleted user's.
	db2, err := sqlitestore.Open(ctx, sqlitestore.Options{Path: second})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	users := sqlitestore.NewUserStore(db2)
	if u, err := users.ByLogin(ctx, "login3"); err != nil || u.Number != 4 || u.Version != 1 {
		t.Fatalf("ByLogin on the copy: %+v, %v", u, err)
	}
	if u, err := users.Create(ctx, identity.User{ID: "new", Login: "fresh"}); err != nil || u.Number != 6 {
		t.Fatalf("Create on the copy: Number %d, %v; want 6", u.Number, err)
	}
	if err := sqlitestore.NewSessionStore(db2).ConsumeRefresh(ctx, "h1", copyT0); err == nil {
		t.Fatal("a token used before the copy could be used again after it")
	}
}

// TestCopyRefusesClashes copies into a database whose user holds a login
// the source gives another user, and reports it instead of overwriting.
func TestCopyRefusesClashes(t *testing.T) {
	ctx := startCtx(t)
	cfg := loadConfig(t, "GATEHOUSE_DATA_DIR="+t.TempDir())
	a, closeA, err := OpenArchive(ctx, cfg, "sqlite:"+filepath.Join(t.TempDir(), "a.db"), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer closeA(context.Background())
	b, closeB, err := OpenArchive(ctx, cfg, "sqlite:"+filepath.Join(t.TempDir(), "b.db"), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer closeB(context.Background())
	for i, arch := range []ports.Archive{a, b} {
		u := identity.User{ID: fmt.Sprint("owner", i), Number: 1, Version: 1, Login: "same"}
		if err := arch.Put(ctx, ports.CollUsers, []ports.Record{{Key: u.ID, User: u}}); err != nil {
			t.Fatal(err)
		}
	}
	err = CopyStorage(ctx, a, b, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "login") {
		t.Fatalf("copy over a clashing login: %v", err)
	}
}
