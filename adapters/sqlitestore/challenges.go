package sqlitestore

import (
	"context"
	"database/sql"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// pruneAfter is how long after its expiry a challenge is kept. Callers
// refuse expired challenges themselves; the grace only keeps a challenge
// that expired a moment ago readable, so that they can say it expired.
const pruneAfter = 24 * time.Hour

// ChallengeStore keeps one-time challenges in challenges and their single
// uses in challenge_uses.
type ChallengeStore struct {
	db *DB
}

var _ ports.ChallengeStore = (*ChallengeStore)(nil)

// NewChallengeStore returns the challenge store of db.
func NewChallengeStore(db *DB) *ChallengeStore { return &ChallengeStore{db: db} }

func errChallengeNotFound() error {
	return identity.ChallengeNotFound()
}

// challengeCols are the columns every challenge read selects, in scanChallenge's order.
const challengeCols = `id, purpose, user_id, target, created_at, expires_at, max_attempts`

func scanChallenge(row interface{ Scan(...any) error }) (identity.Challenge, error) {
	var (
		c                identity.Challenge
		purpose          string
		created, expires sql.NullInt64
	)
	err := row.Scan(&c.ID, &purpose, &c.UserID, &c.Target, &created, &expires, &c.MaxAttempts)
	c.Purpose, c.CreatedAt, c.ExpiresAt = identity.Purpose(purpose), fromMS(created), fromMS(expires)
	return c, err
}

// AddChallenge implements ports.ChallengeStore in one transaction that
// also prunes challenges (and uses) that expired more than pruneAfter
// before ch was made, and drops a use left without its challenge.
func (s *ChallengeStore) AddChallenge(ctx context.Context, ch identity.Challenge) error {
	if ch.ID == "" {
		return fault.Invalidf("id", "required", "A challenge ID is required.")
	}
	return s.db.write(ctx, "add challenge", func(tx *sql.Tx) error {
		if !ch.CreatedAt.IsZero() {
			cutoff := ch.CreatedAt.Add(-pruneAfter).UnixMilli()
			for _, table := range []string{"challenges", "challenge_uses"} {
				if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE expires_at < ?`, cutoff); err != nil {
					return dbErr("prune "+table, err)
				}
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO challenges (`+challengeCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			ch.ID, string(ch.Purpose), ch.UserID, ch.Target, toMS(ch.CreatedAt), toMS(ch.ExpiresAt), ch.MaxAttempts)
		if _, ok := uniqueOn(err); ok {
			return identity.ChallengeExists()
		}
		if err != nil {
			return dbErr("insert challenge", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM challenge_uses WHERE id = ?`, ch.ID); err != nil {
			return dbErr("clear leftover challenge use", err)
		}
		return nil
	})
}

// Challenge implements ports.ChallengeStore: a challenge shows while it has no use.
func (s *ChallengeStore) Challenge(ctx context.Context, id string) (identity.Challenge, error) {
	c, err := scanChallenge(s.db.r.QueryRowContext(ctx,
		`SELECT `+challengeCols+` FROM challenges c WHERE id = ? AND NOT EXISTS (SELECT 1 FROM challenge_uses u WHERE u.id = c.id)`, id))
	if noRows(err) {
		return identity.Challenge{}, errChallengeNotFound()
	}
	if err != nil {
		return identity.Challenge{}, dbErr("find challenge", err)
	}
	return c, nil
}

// ConsumeChallenge implements ports.ChallengeStore with one INSERT of the
// use, selected from the challenge: none inserts nothing (not found), and
// the use's primary key lets exactly one of concurrent calls in.
func (s *ChallengeStore) ConsumeChallenge(ctx context.Context, id string) error {
	res, err := s.db.w.ExecContext(ctx,
		`INSERT INTO challenge_uses (id, expires_at) SELECT id, expires_at FROM challenges WHERE id = ?`, id)
	if _, ok := uniqueOn(err); ok {
		return identity.ChallengeUsed()
	}
	if err != nil {
		return dbErr("consume challenge", err)
	}
	if n, err := affected(res, "consume challenge"); err != nil || n == 1 {
		return err
	}
	return errChallengeNotFound()
}

// DeleteChallenges implements ports.ChallengeStore in one transaction,
// counting the removed challenges that were still unused. Challenges that
// name only a target belong to no user, so an empty userID removes nothing.
func (s *ChallengeStore) DeleteChallenges(ctx context.Context, userID string, purpose identity.Purpose) (int, error) {
	if userID == "" {
		return 0, nil
	}
	var unused int
	err := s.db.write(ctx, "delete challenges", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM challenges c WHERE user_id = ? AND purpose = ?
			AND NOT EXISTS (SELECT 1 FROM challenge_uses u WHERE u.id = c.id)`, userID, string(purpose)).Scan(&unused)
		if err != nil {
			return dbErr("count challenges", err)
		}
		steps := []string{
			`DELETE FROM challenge_uses WHERE id IN (SELECT id FROM challenges WHERE user_id = ? AND purpose = ?)`,
			`DELETE FROM challenges WHERE user_id = ? AND purpose = ?`,
		}
		for _, q := range steps {
			if _, err := tx.ExecContext(ctx, q, userID, string(purpose)); err != nil {
				return dbErr("delete challenges", err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return unused, nil
}

// DeleteTargetChallenges implements ports.ChallengeStore in one
// transaction on the challenges_target index, counting the removed
// challenges that were still unused. Uses of consumed ones stay, so a
// spent code never shows again.
func (s *ChallengeStore) DeleteTargetChallenges(ctx context.Context, target string, purpose identity.Purpose) (int, error) {
	if target == "" {
		return 0, nil
	}
	res, err := s.db.w.ExecContext(ctx, `DELETE FROM challenges WHERE target = ? AND purpose = ?
		AND NOT EXISTS (SELECT 1 FROM challenge_uses u WHERE u.id = challenges.id)`, target, string(purpose))
	if err != nil {
		return 0, dbErr("delete target challenges", err)
	}
	n, err := affected(res, "delete target challenges")
	return int(n), err
}
