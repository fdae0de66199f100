package sqlitestore

import (
	"encoding/json"
	"maps"
	"testing"

	"gatehouse/core/fault"
)

// TestRedirectsStepMovesCountsOut brings a database written before step 6,
// whose links carry their counts, through the step: every count is in
// link_redirects, links has no redirects column, flushes and budgets count
// there, and deleting a link takes its count along.
func TestRedirectsStepMovesCountsOut(t *testing.T) {
	path, raw := beforeStep(t, 6)
	for _, l := range []struct {
		id, alias      string
		redirects, max int64
	}{{"l1", "one", 41, 0}, {"l2", "two", 0, 0}, {"l3", "three", 2, 3}} {
		if _, err := raw.Exec(`INSERT INTO links (id, alias, target, owner_id, redirects, max_redirects) VALUES (?, ?, 'https://example.com', 'u', ?, ?)`,
			l.id, l.alias, l.redirects, l.max); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	db, err := Open(t.Context(), Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := NewLinkStore(db)
	ctx := t.Context()
	for alias, want := range map[string]int64{"one": 41, "two": 0, "three": 2} {
		if l, err := s.LinkByAlias(ctx, alias); err != nil || l.Redirects != want {
			t.Fatalf("%s after the step: %+v, %v; want %d redirects", alias, l, err, want)
		}
	}
	var cols int
	if err := db.r.QueryRow(`SELECT COUNT(*) FROM pragma_table_info('links') WHERE name = 'redirects'`).Scan(&cols); err != nil || cols != 0 {
		t.Fatalf("links.redirects still there (%d, %v)", cols, err)
	}
	if _, err := s.AddRedirects(ctx, map[string]int64{"l1": 9, "gone": 5}); err != nil {
		t.Fatal(err)
	}
	if l, ok, err := s.TakeRedirect(ctx, "l3"); err != nil || !ok || l.Redirects != 3 {
		t.Fatalf("take the last of three: %+v %v %v", l, ok, err)
	}
	if l, ok, err := s.TakeRedirect(ctx, "l3"); err != nil || ok || l.Redirects != 3 {
		t.Fatalf("take past the budget: %+v %v %v", l, ok, err)
	}
	if l, err := s.LinkByID(ctx, "l1"); err != nil || l.Redirects != 50 {
		t.Fatalf("l1 after a flush of 9: %+v, %v", l, err)
	}
	if err := s.DeleteLink(ctx, "l1"); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := db.r.QueryRow(`SELECT COUNT(*) FROM link_redirects WHERE id IN ('l1', 'gone')`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("counts of a deleted link and an unknown one: %d rows (%v), want none", left, err)
	}
	if _, _, err := s.TakeRedirect(ctx, "l1"); !fault.Is(err, fault.NotFound) {
		t.Fatalf("take of a deleted link: %v, want NotFound", err)
	}
}

// TestRedirectsBatchIsJSON: the batch AddRedirects hands SQLite decodes as
// the counts it was made of, whatever the IDs spell.
func TestRedirectsBatchIsJSON(t *testing.T) {
	counts := map[string]int64{"AbC-_09xyzAbC-_0": 3, `odd "id"\` + "\n": 1, "é": 1 << 40, "": 7}
	var got map[string]int64
	if err := json.Unmarshal([]byte(redirectsBatch(counts)), &got); err != nil || !maps.Equal(got, counts) {
		t.Fatalf("batch decodes to %v, %v; want %v", got, err, counts)
	}
}
