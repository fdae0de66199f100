package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"maps"
	"slices"
	"strconv"

	"gatehouse/core/links"
	"gatehouse/ports"
)

// LinkStore keeps short links in links and their redirect counts in
// link_redirects (redirectsMigration); the unique index on alias decides
// which of concurrent claims of one alias wins.
type LinkStore struct {
	db *DB
}

var _ ports.LinkStore = (*LinkStore)(nil)

// NewLinkStore returns the link store of db.
func NewLinkStore(db *DB) *LinkStore { return &LinkStore{db: db} }

// linkCols are the columns every link read selects from linkRows, in
// scanLink's order.
const linkCols = `id, alias, target, owner_id, redirects, created_at, updated_at, expires_at, max_redirects`

// linkRows joins each link to its count: id is the joined column, every
// other column's name belongs to one table.
const linkRows = `links JOIN link_redirects USING (id)`

// linkRowCols are the columns of links itself, in linkCols' order less
// redirects.
const linkRowCols = `id, alias, target, owner_id, created_at, updated_at, expires_at, max_redirects`

func scanLink(row interface{ Scan(...any) error }) (links.Link, error) {
	var (
		l                         links.Link
		created, updated, expires sql.NullInt64
	)
	err := row.Scan(&l.ID, &l.Alias, &l.Target, &l.OwnerID, &l.Redirects, &created, &updated, &expires, &l.MaxRedirects)
	l.CreatedAt, l.UpdatedAt, l.ExpiresAt = fromMS(created), fromMS(updated), fromMS(expires)
	return l, err
}

// linkTaken maps a unique violation on links to the port's Conflict.
func linkTaken(col string) error {
	if col == "links.id" {
		return links.IDTaken()
	}
	return links.AliasTaken()
}

// CreateLink implements ports.LinkStore: the link and its count in one
// transaction.
func (s *LinkStore) CreateLink(ctx context.Context, l links.Link) error {
	return s.db.write(ctx, "insert link", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO links (`+linkRowCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			l.ID, l.Alias, l.Target, l.OwnerID, toMS(l.CreatedAt), toMS(l.UpdatedAt), toMS(l.ExpiresAt), l.MaxRedirects)
		if col, ok := uniqueOn(err); ok {
			return linkTaken(col)
		}
		if err != nil {
			return dbErr("insert link", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO link_redirects (id, redirects) VALUES (?, ?)`, l.ID, l.Redirects); err != nil {
			return dbErr("insert link count", err)
		}
		return nil
	})
}

// LinkByID implements ports.LinkStore.
func (s *LinkStore) LinkByID(ctx context.Context, id string) (links.Link, error) {
	return s.find(ctx, `id = ?`, id)
}

// LinkByAlias implements ports.LinkStore.
func (s *LinkStore) LinkByAlias(ctx context.Context, alias string) (links.Link, error) {
	return s.find(ctx, `alias = ?`, alias)
}

func (s *LinkStore) find(ctx context.Context, where, arg string) (links.Link, error) {
	l, err := scanLink(s.db.r.QueryRowContext(ctx, `SELECT `+linkCols+` FROM `+linkRows+` WHERE `+where, arg))
	if noRows(err) {
		return links.Link{}, links.NotFound()
	}
	if err != nil {
		return links.Link{}, dbErr("find link", err)
	}
	return l, nil
}

// UpdateLink implements ports.LinkStore.
func (s *LinkStore) UpdateLink(ctx context.Context, l links.Link) error {
	res, err := s.db.w.ExecContext(ctx,
		`UPDATE links SET alias = ?, target = ?, expires_at = ?, max_redirects = ?, updated_at = ? WHERE id = ?`,
		l.Alias, l.Target, toMS(l.ExpiresAt), l.MaxRedirects, toMS(l.UpdatedAt), l.ID)
	if col, ok := uniqueOn(err); ok {
		return linkTaken(col)
	}
	if err != nil {
		return dbErr("update link", err)
	}
	if n, err := affected(res, "update link"); err != nil || n == 1 {
		return err
	}
	return links.NotFound()
}

// DeleteLink implements ports.LinkStore.
func (s *LinkStore) DeleteLink(ctx context.Context, id string) error {
	res, err := s.db.w.ExecContext(ctx, `DELETE FROM links WHERE id = ?`, id)
	if err != nil {
		return dbErr("delete link", err)
	}
	if n, err := affected(res, "delete link"); err != nil || n == 1 {
		return err
	}
	return links.NotFound()
}

// LinksByOwner implements ports.LinkStore.
func (s *LinkStore) LinksByOwner(ctx context.Context, ownerID string) ([]links.Link, error) {
	rows, err := s.db.r.QueryContext(ctx,
		`SELECT `+linkCols+` FROM `+linkRows+` WHERE owner_id = ? ORDER BY created_at DESC, id`, ownerID)
	if err != nil {
		return nil, dbErr("list links", err)
	}
	return collect(rows, scanLink, "list links")
}

// DeleteLinksByOwner implements ports.LinkStore.
func (s *LinkStore) DeleteLinksByOwner(ctx context.Context, ownerID string) (int, error) {
	res, err := s.db.w.ExecContext(ctx, `DELETE FROM links WHERE owner_id = ?`, ownerID)
	if err != nil {
		return 0, dbErr("delete owner's links", err)
	}
	n, err := affected(res, "delete owner's links")
	return int(n), err
}

// addRedirectsQuery adds a batch of counts, given as one JSON object of
// link ID to count, to the links that still exist: one statement walks the
// batch and finds each count by its primary key.
const addRedirectsQuery = `UPDATE link_redirects SET redirects = redirects + j.value
	FROM json_each(?) AS j WHERE link_redirects.id = j.key`

// AddRedirects implements ports.LinkStore in one statement, so either every
// count is added or none. A flush carries the counts of every link visited
// in the last interval (tens of thousands under load): one statement over
// the batch costs about half what one UPDATE per link does, and the batch
// goes in ID order, so the walk of the primary key moves forward through
// its pages.
func (s *LinkStore) AddRedirects(ctx context.Context, counts map[string]int64) (map[string]int64, error) {
	if len(counts) == 0 {
		return nil, nil
	}
	if _, err := s.db.w.ExecContext(ctx, addRedirectsQuery, redirectsBatch(counts)); err != nil {
		return counts, dbErr("add redirects", err)
	}
	return nil, nil
}

// redirectsBatch writes counts as one JSON object in ID order. Link IDs are
// base64url, which JSON takes as it is; any other key is quoted by
// encoding/json. Written here rather than by json.Marshal of the map, which
// took a seventh of a flush of 50,000 links sorting through reflection.
func redirectsBatch(counts map[string]int64) string {
	ids := slices.Sorted(maps.Keys(counts))
	b := make([]byte, 0, len(ids)*(links.IDBytes*4/3+8)+2)
	b = append(b, '{')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		if idChars(id) {
			b = append(b, '"')
			b = append(b, id...)
			b = append(b, '"')
		} else {
			q, _ := json.Marshal(id) // a string always encodes
			b = append(b, q...)
		}
		b = append(b, ':')
		b = strconv.AppendInt(b, counts[id], 10)
	}
	return string(append(b, '}'))
}

// idChars reports whether id is all base64url characters.
func idChars(id string) bool {
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// takeRedirectQuery counts one redirect of a link only while its budget
// lasts.
const takeRedirectQuery = `UPDATE link_redirects SET redirects = redirects + 1 WHERE id = ?
	AND (SELECT max_redirects <= 0 OR link_redirects.redirects < max_redirects FROM links WHERE links.id = link_redirects.id)`

// TakeRedirect implements ports.LinkStore with one conditional UPDATE, so
// at most MaxRedirects calls ever return true, and a read of the link in
// the same transaction. When the UPDATE matches nothing, the read tells an
// exhausted link from an absent one.
func (s *LinkStore) TakeRedirect(ctx context.Context, id string) (links.Link, bool, error) {
	var (
		l     links.Link
		taken int64
	)
	err := s.db.write(ctx, "take redirect", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, takeRedirectQuery, id)
		if err != nil {
			return dbErr("take redirect", err)
		}
		if taken, err = affected(res, "take redirect"); err != nil {
			return err
		}
		l, err = scanLink(tx.QueryRowContext(ctx, `SELECT `+linkCols+` FROM `+linkRows+` WHERE id = ?`, id))
		if noRows(err) {
			return links.NotFound()
		}
		if err != nil {
			return dbErr("take redirect: read", err)
		}
		return nil
	})
	if err != nil {
		return links.Link{}, false, err
	}
	return l, taken == 1, nil
}
