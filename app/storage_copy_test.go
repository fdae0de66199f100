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
	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/core/links"
	"gatehouse/core/sessions"
	"gatehouse/core/vpn"
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
	_, err := users.Create(ctx, identity.User{ID: "tg", Login: "tguser", TelegramID: copyTelegramID, CreatedAt: copyT0})
	check(err)
	check(chal.AddChallenge(ctx, identity.Challenge{ID: "code", Purpose: identity.PurposePhoneLogin, Target: "+15550001111",
		CreatedAt: copyT0, ExpiresAt: copyT0.Add(time.Hour), MaxAttempts: 5}))
	populateVPN(tb, db)
}

// copyTelegramID is the Telegram user linked to user "tg".
const copyTelegramID = 777000111

// populateVPN writes VPN access for u0 through the store: two servers, a
// subscription, two devices (a third removed), an issued key with its
// address, a revoked one, a claimed one, an agent's report and a
// subscription link.
func populateVPN(tb testing.TB, db *sqlitestore.DB) {
	tb.Helper()
	ctx, s := tb.Context(), sqlitestore.NewVPNStore(db)
	check := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	wg, err := s.AddServer(ctx, vpn.Server{Country: "NL", City: "Amsterdam", Endpoint: "ams.example.net:51820", Protocol: vpn.WireGuard,
		Capacity: 100, Enabled: true, WireGuard: vpn.WireGuardSettings{PublicKey: "qVc4bq3vNUiRjJ6Gc2iVnBVXBDcwl0JiTpnfDc3/Mn0=",
			IPv4CIDR: "10.8.0.0/24", DNS: []string{"1.1.1.1"}, MTU: 1420}})
	check(err)
	_, err = s.AddServer(ctx, vpn.Server{Country: "DE", City: "Berlin", Endpoint: "ber.example.net:443", Protocol: vpn.Outline,
		Outline: vpn.OutlineSettings{APIURL: "https://203.0.113.7:8081/secret", CertSHA256: "ab"}})
	check(err)
	check(s.SaveSubscription(ctx, vpn.Subscription{UserID: "u0", Plan: "pro", Status: vpn.StatusActive, StartedAt: copyT0,
		ExpiresAt: copyT0.Add(30 * 24 * time.Hour), DeviceLimit: 3, TrafficLimitBytes: 50 << 30, UpdatedAt: copyT0}))
	var devs []vpn.Device
	for _, client := range []string{"phone", "laptop", "old"} {
		d, err := s.AddDevice(ctx, vpn.Device{UserID: "u0", ClientID: client, Name: client, CreatedAt: copyT0, LastSeen: copyT0}, 3)
		check(err)
		devs = append(devs, d)
	}
	check(s.RemoveDevice(ctx, "u0", devs[2].ID)) // its ID stays given
	m := vpn.Material{PrivateKey: "priv", PublicKey: "pub", Addresses: []string{"10.8.0.2/32"}, Config: "[Interface]\n"}
	for _, k := range []struct {
		id     string
		device vpn.Device
		issue  bool
		revoke bool
	}{{"k-revoked", devs[1], true, true}, {"k-live", devs[0], true, false}, {"k-claimed", devs[1], false, false}} {
		check(s.ClaimKey(ctx, vpn.AccessKey{ID: k.id, UserID: "u0", DeviceID: k.device.ID, ServerID: wg.ID, Protocol: vpn.WireGuard,
			Name: k.device.Name, ClaimedAt: copyT0, DynamicHash: vpn.TokenHash(k.id)}))
		if k.issue {
			_, err := s.IssueKey(ctx, k.id, m, copyT0)
			check(err)
		}
		if k.revoke {
			check(s.RevokeKey(ctx, k.id, copyT0))
		}
	}
	check(s.ClaimAddress(ctx, wg.ID, "10.8.0.2", "k-live"))
	check(s.SavePeerStats(ctx, wg.ID, []vpn.PeerStat{{PublicKey: "pub", LastHandshake: copyT0, ReceiveBytes: 10, TransmitBytes: 20}}))
	check(s.SetKeyTraffic(ctx, "k-live", 30))
	check(s.SaveLink(ctx, vpn.SubscriptionLink{UserID: "u0", TokenHash: "feed-hash", CreatedAt: copyT0}))
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
	for _, c := range ports.Collections() {
		if len(want[c]) == 0 {
			t.Fatalf("populate leaves %s empty: the copy of it goes untested", c)
		}
	}
	sameRecords(t, everything(t, mongo), want, "mongo after the copy")

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
	sameRecords(t, everything(t, back), want, "sqlite after the round trip")
	for _, c := range ports.Collections() {
		if n, err := back.Count(ctx, c); err != nil || n != int64(len(want[c])) {
			t.Fatalf("Count %s on the copy: %d, %v; want %d", c, n, err, len(want[c]))
		}
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
	if u, err := users.Create(ctx, identity.User{ID: "new", Login: "fresh"}); err != nil || u.Number != 7 {
		t.Fatalf("Create on the copy: Number %d, %v; want 7", u.Number, err)
	}
	if err := sqlitestore.NewSessionStore(db2).ConsumeRefresh(ctx, "h1", copyT0); err == nil {
		t.Fatal("a token used before the copy could be used again after it")
	}
	if u, err := users.ByTelegramID(ctx, copyTelegramID); err != nil || u.ID != "tg" {
		t.Fatalf("ByTelegramID on the copy: %+v, %v", u, err)
	}
	checkVPNCopy(t, sqlitestore.NewVPNStore(db2))
}

// checkVPNCopy checks that the VPN store works on a copy of populateVPN's
// data: keys and their addresses hold, IDs go on after the removed device.
func checkVPNCopy(tb testing.TB, s *sqlitestore.VPNStore) {
	tb.Helper()
	ctx := tb.Context()
	if k, err := s.LiveKey(ctx, "u0", 1, 1); err != nil || k.ID != "k-live" || k.TrafficBytes != 30 || len(k.Material.Addresses) != 1 {
		tb.Fatalf("LiveKey on the copy: %+v, %v", k, err)
	}
	if err := s.ClaimKey(ctx, vpn.AccessKey{ID: "k-again", UserID: "u0", DeviceID: 2, ServerID: 1}); fault.ReasonOf(err) != vpn.ReasonKeyClaimed {
		tb.Fatalf("a second claim of the claimed slot on the copy: %v", err)
	}
	if err := s.ClaimAddress(ctx, 1, "10.8.0.2", "k-other"); fault.ReasonOf(err) != vpn.ReasonAddressTaken {
		tb.Fatalf("claiming a copied address: %v", err)
	}
	if l, err := s.LinkByHash(ctx, "feed-hash"); err != nil || l.UserID != "u0" {
		tb.Fatalf("LinkByHash on the copy: %+v, %v", l, err)
	}
	if st, err := s.PeerStats(ctx, 1); err != nil || len(st) != 1 {
		tb.Fatalf("PeerStats on the copy: %+v, %v", st, err)
	}
	if d, err := s.AddDevice(ctx, vpn.Device{UserID: "u0", ClientID: "tablet"}, 3); err != nil || d.ID != 4 {
		tb.Fatalf("AddDevice on the copy: %+v, %v; want ID 4, after the removed device's", d, err)
	}
	if srv, err := s.AddServer(ctx, vpn.Server{Country: "FI", City: "Helsinki", Protocol: vpn.Static}); err != nil || srv.ID != 3 {
		tb.Fatalf("AddServer on the copy: %+v, %v; want ID 3", srv, err)
	}
}

// sameRecords fails tb, naming the first collection that differs, unless
// got and want hold equal records.
func sameRecords(tb testing.TB, got, want map[ports.Collection][]ports.Record, what string) {
	tb.Helper()
	for _, c := range ports.Collections() {
		if !reflect.DeepEqual(got[c], want[c]) {
			tb.Fatalf("%s: %s differs from the source:\n got %+v\nwant %+v", what, c, got[c], want[c])
		}
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
