package sqlitestore

// redirectsMigration is schema step 6: a link's redirect count leaves the
// links row for a narrow table of its own, keyed by the link's ID without
// a rowid. A counter's flush adds to the counts of every link visited in
// the last second (tens of thousands under load); on the wide links rows
// each of those rewrote a page of targets and aliases and went through
// the ID index to the row, while here the count sits in the primary key's
// own B-tree, a quarter as many pages for the same links. The row goes
// with its link (ON DELETE CASCADE).
const redirectsMigration = `
CREATE TABLE link_redirects (
	id        TEXT PRIMARY KEY REFERENCES links (id) ON DELETE CASCADE,
	redirects INTEGER NOT NULL
) WITHOUT ROWID, STRICT;
INSERT INTO link_redirects (id, redirects) SELECT id, redirects FROM links;
ALTER TABLE links DROP COLUMN redirects;
`
