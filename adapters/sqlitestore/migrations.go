package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations returns the schema's steps in order; step i brings the
// database from user_version i to i+1. Steps are never edited once
// released, only appended.
//
// Times are INTEGER Unix milliseconds, NULL when zero, but for
// users.created_at, in microseconds since step 3. Handle uniqueness
// is three partial unique indexes that leave the empty handle out; Numbers
// are claimed in user_numbers, which outlives its users, so a Number is
// never given twice. Single uses of refresh tokens and challenges are rows
// of their own, claimed by insert.
func migrations() []string {
	return []string{`
CREATE TABLE users (
	id         TEXT PRIMARY KEY,
	number     INTEGER NOT NULL UNIQUE,
	version    INTEGER NOT NULL,
	login      TEXT NOT NULL,
	email      TEXT NOT NULL,
	phone      TEXT NOT NULL,
	created_at INTEGER,
	updated_at INTEGER,
	profile    TEXT NOT NULL -- JSON of every other field
) STRICT;
CREATE UNIQUE INDEX users_login ON users (login) WHERE login <> '';
CREATE UNIQUE INDEX users_email ON users (email) WHERE email <> '';
CREATE UNIQUE INDEX users_phone ON users (phone) WHERE phone <> '';
CREATE TABLE user_numbers (
	number  INTEGER PRIMARY KEY,
	user_id TEXT NOT NULL
) STRICT;

CREATE TABLE session_families (
	id           TEXT PRIMARY KEY,
	user_id      TEXT NOT NULL,
	device_id    TEXT NOT NULL,
	audience     TEXT NOT NULL,
	created_at   INTEGER,
	expires_at   INTEGER,
	revoked_at   INTEGER,
	reason       TEXT NOT NULL,
	kind         TEXT NOT NULL,
	token_hash   TEXT NOT NULL,
	last_used_at INTEGER
) STRICT;
CREATE INDEX session_families_user ON session_families (user_id, created_at DESC, id);
CREATE INDEX session_families_revoked ON session_families (revoked_at, id) WHERE revoked_at IS NOT NULL;
CREATE TABLE refresh_tokens (
	hash       TEXT PRIMARY KEY,
	family_id  TEXT NOT NULL,
	user_id    TEXT NOT NULL,
	seq        INTEGER NOT NULL,
	issued_at  INTEGER,
	expires_at INTEGER
) STRICT;
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
CREATE TABLE refresh_uses (
	hash    TEXT PRIMARY KEY,
	user_id TEXT NOT NULL,
	used_at INTEGER
) STRICT;
CREATE INDEX refresh_uses_user ON refresh_uses (user_id);
CREATE TABLE devices (
	id         TEXT PRIMARY KEY,
	user_id    TEXT NOT NULL,
	name       TEXT NOT NULL,
	user_agent TEXT NOT NULL,
	ip         TEXT NOT NULL,
	created_at INTEGER,
	last_seen  INTEGER
) STRICT;
CREATE INDEX devices_user ON devices (user_id, last_seen DESC, id);

CREATE TABLE signing_keys (
	id          TEXT PRIMARY KEY,
	algorithm   TEXT NOT NULL,
	generation  INTEGER NOT NULL UNIQUE,
	private_pem BLOB,
	public_pem  BLOB,
	created_at  INTEGER,
	retired_at  INTEGER,
	not_after   INTEGER
) STRICT;

CREATE TABLE challenges (
	id           TEXT PRIMARY KEY,
	purpose      TEXT NOT NULL,
	user_id      TEXT NOT NULL,
	target       TEXT NOT NULL,
	created_at   INTEGER,
	expires_at   INTEGER,
	max_attempts INTEGER NOT NULL
) STRICT;
CREATE INDEX challenges_user ON challenges (user_id, purpose);
CREATE INDEX challenges_expiry ON challenges (expires_at);
CREATE TABLE challenge_uses (
	id         TEXT PRIMARY KEY,
	expires_at INTEGER
) STRICT;
CREATE INDEX challenge_uses_expiry ON challenge_uses (expires_at);

CREATE TABLE links (
	id            TEXT PRIMARY KEY,
	alias         TEXT NOT NULL UNIQUE,
	target        TEXT NOT NULL,
	owner_id      TEXT NOT NULL,
	redirects     INTEGER NOT NULL,
	created_at    INTEGER,
	updated_at    INTEGER,
	expires_at    INTEGER,
	max_redirects INTEGER NOT NULL
) STRICT;
CREATE INDEX links_owner ON links (owner_id, created_at DESC, id);

CREATE TABLE health (
	id         INTEGER PRIMARY KEY,
	checked_at INTEGER NOT NULL
) STRICT;
`,
		// 2: a new code to a recipient replaces the old ones (DeleteTargetChallenges).
		`CREATE INDEX challenges_target ON challenges (target, purpose);`,
		// 3: users.created_at in Unix microseconds: contract 004 shows them.
		`UPDATE users SET created_at = created_at * 1000 WHERE created_at IS NOT NULL;`,
		// 4: VPN access (vpnMigration).
		vpnMigration,
		// 5: Telegram links (telegramMigration).
		telegramMigration,
		// 6: redirect counts in a table of their own (redirectsMigration).
		redirectsMigration,
	}
}

// migrate applies the steps the database has not seen, in one IMMEDIATE
// transaction (the writer's), so a second process starting at the same
// time waits and then finds them applied. A database newer than this
// binary is refused rather than written with an older schema.
func migrate(ctx context.Context, w *sql.DB) error {
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return dbErr("migrate: begin", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	var have int
	if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&have); err != nil {
		return dbErr("migrate: read version", err)
	}
	steps := migrations()
	if have > len(steps) {
		return fmt.Errorf("sqlitestore: the database is at schema version %d, newer than this binary's %d: run a newer gatehouse", have, len(steps))
	}
	for i := have; i < len(steps); i++ {
		if _, err := tx.ExecContext(ctx, steps[i]); err != nil {
			return dbErr(fmt.Sprintf("migrate: step %d", i+1), err)
		}
	}
	// PRAGMA takes no parameters; the value is this binary's own integer.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, len(steps))); err != nil {
		return dbErr("migrate: write version", err)
	}
	if err := tx.Commit(); err != nil {
		return dbErr("migrate: commit", err)
	}
	return nil
}
