package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"gatehouse/core/links"
	"gatehouse/ports"
)

// LinkStore keeps short links in links; the unique index on alias decides
// which of concurrent claims of one alias wins.
type LinkStore struct {
	db *DB
}

var _ ports.LinkStore = (*LinkStore)(nil)

// NewLinkStore returns the link store of db.
func NewLinkStore(db *DB) *LinkStore { return &LinkStore{db: db} }

// linkCols are the columns every link read selects, in scanLink's order.
const linkCols = `id, alias, target, owner_id, redirects, created_at, updated_at, expires_at, max_redirects`

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

// CreateLink implements ports.LinkStore.
func (s *LinkStore) CreateLink(ctx context.Context, l links.Link) error {
	_, err := s.db.w.ExecContext(ctx, `INSERT INTO links (`+linkCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.ID, l.Alias, l.Target, l.OwnerID, l.Redirects, toMS(l.CreatedAt), toMS(l.UpdatedAt), toMS(l.ExpiresAt), l.MaxRedirects)
	if col, ok := uniqueOn(err); ok {
		return linkTaken(col)
	}
	if err != nil {
		return dbErr("insert link", err)
	}
	return nil
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
	l, err := scanLink(s.db.r.QueryRowContext(ctx, `SELECT `+linkCols+` FROM links WHERE `+where, arg))
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
		`SELECT `+linkCols+` FROM links WHERE owner_id = ? ORDER BY created_at DESC, id`, ownerID)
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
// batch and finds each link by its primary key.
const addRedirectsQuery = `UPDATE links SET redirects = redirects + j.value
	FROM json_each(?) AS j WHERE links.id = j.key`

// AddRedirects implements ports.LinkStore in one statement, so either every
// count is added or none. A flush carries the counts of every link visited
// in the last interval (tens of thousands under load): one statement over
// the batch costs about half what one UPDATE per link does, and the batch
// goes in ID order (encoding/json sorts a map's keys), so the walk of the
// primary key index moves forward through its pages.
func (s *LinkStore) AddRedirects(ctx context.Context, counts map[string]int64) (map[string]int64, error) {
	if len(counts) == 0 {
		return nil, nil
	}
	batch, err := json.Marshal(counts)
	if err != nil {
		return counts, fmt.Errorf("sqlitestore: add redirects: %w", err)
	}
	if _, err := s.db.w.ExecContext(ctx, addRedirectsQuery, string(batch)); err != nil {
		return counts, dbErr("add redirects", err)
	}
	return nil, nil
}

// TakeRedirect implements ports.LinkStore with one conditional UPDATE ...
// RETURNING: it counts only within the budget, so at most MaxRedirects
// calls ever return true. When it matches nothing, a read tells an
// exhausted link from an absent one.
func (s *LinkStore) TakeRedirect(ctx context.Context, id string) (links.Link, bool, error) {
	l, err := scanLink(s.db.w.QueryRowContext(ctx,
		`UPDATE links SET redirects = redirects + 1 WHERE id = ? AND (max_redirects <= 0 OR redirects < max_redirects)
		 RETURNING `+linkCols, id))
	if err == nil {
		return l, true, nil
	}
	if !noRows(err) {
		return links.Link{}, false, dbErr("take redirect", err)
	}
	l, err = s.LinkByID(ctx, id)
	if err != nil {
		return links.Link{}, false, err
	}
	return l, false, nil
}
