package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"gatehouse/core/identity"
	"gatehouse/core/links"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// benchT0 is the instant the seeded records are made around.
var benchT0 = time.Date(2025, time.March, 14, 0, 0, 0, 0, time.UTC)

// linksPerOwner is how many links each seeded owner has.
const linksPerOwner = 10

// BenchmarkHotPaths measures each request-path operation of the stores at
// 1,000 and at 100,000 records of every kind, each beside a bare indexed
// SELECT on the same database in the same loop: store-ns/op and bare-ns/op
// are the two halves, x-bare their ratio. Cost flat in the data means the
// figures at 100,000 match those at 1,000.
func BenchmarkHotPaths(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		db := seeded(b, n)
		users, sess, lnk := NewUserStore(db), NewSessionStore(db), NewLinkStore(db)
		ctx := context.Background()
		ops := []struct {
			name  string
			store func(i int) error
			bare  string
			arg   func(i int) any
		}{
			{"user by handle",
				func(i int) error { _, err := users.ByLogin(ctx, fmt.Sprint("login", i%n)); return err },
				`SELECT id FROM users WHERE login = ? AND login <> ''`, func(i int) any { return fmt.Sprint("login", i%n) }},
			{"refresh rotation", rotation(ctx, sess),
				`SELECT hash FROM refresh_tokens WHERE hash = ?`, func(i int) any { return fmt.Sprint("h", i%n) }},
			{"opaque session check",
				func(i int) error {
					t, err := sess.Refresh(ctx, fmt.Sprint("h", i%n))
					if err == nil {
						_, err = sess.Family(ctx, t.FamilyID)
					}
					return err
				},
				`SELECT hash FROM refresh_tokens WHERE hash = ?`, func(i int) any { return fmt.Sprint("h", i%n) }},
			{"link by alias",
				func(i int) error { _, err := lnk.LinkByAlias(ctx, fmt.Sprint("a", i%n)); return err },
				`SELECT id FROM links WHERE alias = ?`, func(i int) any { return fmt.Sprint("a", i%n) }},
			{"links by owner",
				func(i int) error {
					ls, err := lnk.LinksByOwner(ctx, fmt.Sprint("o", i%(n/linksPerOwner)))
					if err == nil && len(ls) != linksPerOwner {
						err = fmt.Errorf("%d links, want %d", len(ls), linksPerOwner)
					}
					return err
				},
				`SELECT id FROM links WHERE owner_id = ? ORDER BY created_at DESC, id`, func(i int) any { return fmt.Sprint("o", i%(n/linksPerOwner)) }},
			{"revocations since",
				func(int) error {
					// A follower's poll: the revocations of the last 10 seconds.
					fs, err := sess.RevokedSince(ctx, benchT0.Add(time.Duration(n-10)*time.Second), 100)
					if err == nil && len(fs) == 0 {
						err = fmt.Errorf("no revocations")
					}
					return err
				},
				`SELECT id FROM session_families WHERE revoked_at >= ? ORDER BY revoked_at, id LIMIT 100`,
				func(int) any { return benchT0.Add(time.Duration(n-10) * time.Second).UnixMilli() }},
		}
		for _, op := range ops {
			b.Run(fmt.Sprintf("%s/records=%d", op.name, n), func(b *testing.B) {
				bare, err := db.r.PrepareContext(ctx, op.bare)
				if err != nil {
					b.Fatal(err)
				}
				defer bare.Close()
				var storeT, bareT time.Duration
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					t0 := time.Now()
					if err := op.store(i); err != nil {
						b.Fatal(err)
					}
					t1 := time.Now()
					if err := readAll(bare, op.arg(i)); err != nil {
						b.Fatal(err)
					}
					storeT, bareT = storeT+t1.Sub(t0), bareT+time.Since(t1)
				}
				b.ReportMetric(float64(storeT.Nanoseconds())/float64(b.N), "store-ns/op")
				b.ReportMetric(float64(bareT.Nanoseconds())/float64(b.N), "bare-ns/op")
				b.ReportMetric(float64(storeT)/float64(bareT), "x-bare")
			})
		}
	}
}

// rotation returns a refresh rotation step: read the current token of one
// chain, consume it and add its successor, as Rotate does.
func rotation(ctx context.Context, s *SessionStore) func(i int) error {
	cur, k := "h0", 0
	return func(int) error {
		t, err := s.Refresh(ctx, cur)
		if err != nil {
			return err
		}
		if err := s.ConsumeRefresh(ctx, cur, benchT0); err != nil {
			return err
		}
		k++ // the benchmark runs again with i from 0; the chain goes on
		next := sessions.RefreshToken{Hash: fmt.Sprintf("rot-%d", k), FamilyID: t.FamilyID, UserID: t.UserID, Seq: t.Seq + 1, IssuedAt: benchT0}
		cur = next.Hash
		return s.AddRefresh(ctx, next)
	}
}

func readAll(stmt *sql.Stmt, arg any) error {
	rows, err := stmt.Query(arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
	}
	return rows.Err()
}

// seeded returns a database holding n users, n session families (every
// other one revoked, a second apart), n refresh tokens and n links (of
// n/linksPerOwner owners).
func seeded(tb testing.TB, n int) *DB {
	tb.Helper()
	db, err := Open(context.Background(), Options{Path: filepath.Join(tb.TempDir(), FileName)})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	a := NewArchive(db)
	const batch = 5000
	for start := 0; start < n; start += batch {
		recs := map[ports.Collection][]ports.Record{}
		for i := start; i < min(n, start+batch); i++ {
			u := identity.User{ID: fmt.Sprint("u", i), Number: int64(i + 1), Version: 1, Login: fmt.Sprint("login", i),
				Email: fmt.Sprint("u", i, "@example.com"), PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", CreatedAt: benchT0}
			f := sessions.Family{ID: fmt.Sprint("f", i), UserID: u.ID, CreatedAt: benchT0, ExpiresAt: benchT0.Add(720 * time.Hour)}
			if i%2 == 1 {
				f.RevokedAt, f.Reason = benchT0.Add(time.Duration(i)*time.Second), "logout"
			}
			t := sessions.RefreshToken{Hash: fmt.Sprint("h", i), FamilyID: f.ID, UserID: u.ID, Seq: 1, IssuedAt: benchT0}
			l := links.Link{ID: fmt.Sprint("l", i), Alias: fmt.Sprint("a", i), Target: "https://example.com/" + fmt.Sprint(i),
				OwnerID: fmt.Sprint("o", i%(n/linksPerOwner)), CreatedAt: benchT0.Add(time.Duration(i) * time.Second)}
			recs[ports.CollUsers] = append(recs[ports.CollUsers], ports.Record{Key: u.ID, User: u})
			recs[ports.CollFamilies] = append(recs[ports.CollFamilies], ports.Record{Key: f.ID, Family: f})
			recs[ports.CollRefreshTokens] = append(recs[ports.CollRefreshTokens], ports.Record{Key: t.Hash, Refresh: t})
			recs[ports.CollLinks] = append(recs[ports.CollLinks], ports.Record{Key: l.ID, Link: l})
		}
		for c, rs := range recs {
			if err := a.Put(context.Background(), c, rs); err != nil {
				tb.Fatal(err)
			}
		}
	}
	// Fresh statistics, as a long-running database would have.
	if _, err := db.w.Exec(`ANALYZE`); err != nil {
		tb.Fatal(err)
	}
	return db
}

// BenchmarkAddRedirects measures a counter's flush under load: the counts
// of 40% of n links (what a second of uniform traffic over 100,000 links
// visits) in one AddRedirects, reported per link.
func BenchmarkAddRedirects(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
			s := NewLinkStore(seeded(b, n))
			size := n * 4 / 10
			batch := make(map[string]int64, size)
			for len(batch) < size {
				batch[fmt.Sprint("l", rand.IntN(n))]++
			}
			for b.Loop() {
				if unapplied, err := s.AddRedirects(context.Background(), batch); err != nil || unapplied != nil {
					b.Fatal(unapplied, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(batch)), "ns/link")
		})
	}
}
