package sqlitestore

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRequestPathQueriesUseIndexes asks SQLite how it runs each lookup and
// listing on a request path, as the stores write them, and fails on any
// that would read a whole table.
func TestRequestPathQueriesUseIndexes(t *testing.T) {
	db, err := Open(t.Context(), Options{Path: filepath.Join(t.TempDir(), FileName)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tests := []struct {
		name, query string
		args        []any
	}{
		{"user by ID", `SELECT ` + userCols + ` FROM users WHERE id = ?`, []any{"u"}},
		{"user by number", `SELECT ` + userCols + ` FROM users WHERE number = ?`, []any{1}},
		{"user by login", `SELECT ` + userCols + ` FROM users WHERE login = ? AND login <> ''`, []any{"l"}},
		{"user by email", `SELECT ` + userCols + ` FROM users WHERE email = ? AND email <> ''`, []any{"e"}},
		{"user by phone", `SELECT ` + userCols + ` FROM users WHERE phone = ? AND phone <> ''`, []any{"p"}},
		{"user by Telegram id", `SELECT ` + userCols + ` FROM users WHERE telegram_id = ?`, []any{42}},
		{"users by number", `SELECT ` + userCols + ` FROM users ORDER BY number LIMIT ? OFFSET ?`, []any{10, 0}},
		{"update user", `UPDATE users SET version = version + 1 WHERE id = ? AND version = ?`, []any{"u", 1}},
		{"family", `SELECT ` + familyCols + ` FROM session_families WHERE id = ?`, []any{"f"}},
		{"families of a user", `SELECT ` + familyCols + ` FROM session_families WHERE user_id = ? ORDER BY created_at DESC, id`, []any{"u"}},
		{"revoke user's families", `UPDATE session_families SET revoked_at = 1 WHERE user_id = ? AND revoked_at IS NULL`, []any{"u"}},
		{"revocations since", `SELECT ` + familyCols + ` FROM session_families WHERE revoked_at >= ? ORDER BY revoked_at, id LIMIT ?`, []any{0, 100}},
		{"refresh token", `SELECT ` + refreshCols + ` FROM refresh_tokens WHERE hash = ?`, []any{"h"}},
		{"consume refresh token", `SELECT hash, user_id FROM refresh_tokens WHERE hash = ?`, []any{"h"}},
		{"device", `SELECT ` + deviceCols + ` FROM devices WHERE id = ?`, []any{"d"}},
		{"devices of a user", `SELECT ` + deviceCols + ` FROM devices WHERE user_id = ? ORDER BY last_seen DESC, id`, []any{"u"}},
		{"challenge", `SELECT ` + challengeCols + ` FROM challenges c WHERE id = ? AND NOT EXISTS (SELECT 1 FROM challenge_uses u WHERE u.id = c.id)`, []any{"c"}},
		{"challenges of a user", `SELECT COUNT(*) FROM challenges c WHERE user_id = ? AND purpose = ?`, []any{"u", "p"}},
		{"challenges of a target", `DELETE FROM challenges WHERE target = ? AND purpose = ?
		AND NOT EXISTS (SELECT 1 FROM challenge_uses u WHERE u.id = challenges.id)`, []any{"t", "p"}},
		{"prune challenges", `DELETE FROM challenges WHERE expires_at < ?`, []any{0}},
		{"link by ID", `SELECT ` + linkCols + ` FROM ` + linkRows + ` WHERE id = ?`, []any{"l"}},
		{"link by alias", `SELECT ` + linkCols + ` FROM ` + linkRows + ` WHERE alias = ?`, []any{"a"}},
		{"links of an owner", `SELECT ` + linkCols + ` FROM ` + linkRows + ` WHERE owner_id = ? ORDER BY created_at DESC, id`, []any{"u"}},
		{"take redirect", takeRedirectQuery, []any{"l"}},
		{"delete an owner's links", `DELETE FROM links WHERE owner_id = ?`, []any{"u"}},
		{"add redirects", addRedirectsQuery, []any{`{"l":1}`}},
		{"session data of a user", `DELETE FROM refresh_uses WHERE user_id = ?`, []any{"u"}},
	}
	// walks are ordered walks of an index, bounded by LIMIT (the admin's paged list).
	walks := map[string]bool{"users by number": true}
	// batches read a batch given as JSON whole, and the table only by index.
	batches := map[string]bool{"add redirects": true}
	for _, tt := range tests {
		rows, err := db.w.QueryContext(t.Context(), `EXPLAIN QUERY PLAN `+tt.query, tt.args...)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		for _, step := range plan {
			walked := walks[tt.name] && strings.Contains(step, " USING INDEX ") ||
				batches[tt.name] && strings.HasPrefix(step, "SCAN j VIRTUAL TABLE")
			if (strings.HasPrefix(step, "SCAN ") && !walked) || strings.Contains(step, "TEMP B-TREE") {
				t.Errorf("%s reads more than an index range: %q", tt.name, plan)
			}
		}
	}
}
