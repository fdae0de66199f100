package mongostore

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// pruneAfter is how long after its expiry a challenge is kept. Callers
// refuse expired challenges themselves; the grace only keeps a challenge
// that expired a moment ago readable, so that they can say it expired.
const pruneAfter = 24 * time.Hour

// ChallengeStore keeps one-time challenges in colChallenges and their
// single uses in colChalUses.
type ChallengeStore struct {
	c *Client
}

var _ ports.ChallengeStore = (*ChallengeStore)(nil)

// NewChallengeStore returns the challenge store of c.
func NewChallengeStore(c *Client) *ChallengeStore { return &ChallengeStore{c: c} }

func errChallengeNotFound() error {
	return identity.ChallengeNotFound()
}

// AddChallenge implements ports.ChallengeStore. It also prunes challenges
// that expired more than pruneAfter before ch was made, since no TTL index
// is relied on to do it.
func (s *ChallengeStore) AddChallenge(ctx context.Context, ch identity.Challenge) error {
	if ch.ID == "" {
		return fault.Invalidf("id", "required", "A challenge ID is required.")
	}
	if err := s.prune(ctx, ch.CreatedAt); err != nil {
		return err
	}
	unlock := s.c.locks.docs.lock(colChallenges + "/" + ch.ID)
	defer unlock()

	_, err := s.c.coll(colChallenges).InsertOne(ctx, toChallengeDoc(ch))
	if mongo.IsDuplicateKeyError(err) {
		return errors.Join(identity.ChallengeExists(), err)
	}
	if err != nil {
		return dbErr("insert challenge", err)
	}
	// A use without its challenge is left over from a deletion cut short;
	// it must not spend the new challenge, which nobody can have presented
	// yet.
	if _, err := s.c.coll(colChalUses).DeleteOne(ctx, bson.D{{Key: "_id", Value: ch.ID}}); err != nil {
		return dbErr("clear leftover challenge use", err)
	}
	return nil
}

// prune deletes challenges, then their uses, that expired more than
// pruneAfter before now. Challenges go first, so that a consumed one never
// shows without its use; a challenge that never expires (null) is kept.
func (s *ChallengeStore) prune(ctx context.Context, now time.Time) error {
	if now.IsZero() {
		return nil
	}
	filter := bson.D{{Key: "expires_at", Value: bson.D{{Key: "$lt", Value: now.UTC().Add(-pruneAfter)}}}}
	for _, col := range []string{colChallenges, colChalUses} {
		if _, err := s.c.coll(col).DeleteMany(ctx, filter); err != nil {
			return dbErr("prune "+col, err)
		}
	}
	return nil
}

// Challenge implements ports.ChallengeStore: a challenge shows while it has
// no use.
func (s *ChallengeStore) Challenge(ctx context.Context, id string) (identity.Challenge, error) {
	ch, err := s.find(ctx, id)
	if err != nil {
		return identity.Challenge{}, err
	}
	used, err := s.used(ctx, id)
	if err != nil {
		return identity.Challenge{}, err
	}
	if used {
		return identity.Challenge{}, errChallengeNotFound()
	}
	return ch, nil
}

// find reads the challenge document, used or not.
func (s *ChallengeStore) find(ctx context.Context, id string) (identity.Challenge, error) {
	var d challengeDoc
	err := s.c.coll(colChallenges).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if notFound(err) {
		return identity.Challenge{}, errChallengeNotFound()
	}
	if err != nil {
		return identity.Challenge{}, dbErr("find challenge", err)
	}
	return d.challenge(), nil
}

// used reports whether challenge id has its use.
func (s *ChallengeStore) used(ctx context.Context, id string) (bool, error) {
	err := s.c.coll(colChalUses).FindOne(ctx, bson.D{{Key: "_id", Value: id}},
		options.FindOne().SetProjection(bson.D{{Key: "_id", Value: 1}})).Err()
	if notFound(err) {
		return false, nil
	}
	if err != nil {
		return false, dbErr("find challenge use", err)
	}
	return true, nil
}

// ConsumeChallenge implements ports.ChallengeStore by inserting the
// challenge's use under its ID: of concurrent inserts exactly one
// succeeds, on MongoDB and FerretDB alike. The challenge document stays,
// so that later calls answer challenge_used rather than not_found.
func (s *ChallengeStore) ConsumeChallenge(ctx context.Context, id string) error {
	unlock := s.c.locks.docs.lock(colChallenges + "/" + id)
	defer unlock()

	ch, err := s.find(ctx, id)
	if err != nil {
		return err
	}
	_, err = s.c.coll(colChalUses).InsertOne(ctx, challengeUseDoc{ID: id, ExpiresAt: toDBTime(ch.ExpiresAt)})
	if mongo.IsDuplicateKeyError(err) {
		return errors.Join(identity.ChallengeUsed(), err)
	}
	if err != nil {
		return dbErr("consume challenge", err)
	}
	return nil
}

// DeleteChallenges implements ports.ChallengeStore. It counts the
// challenges it removed that were still unused; each is removed before its
// use, so that a consumed one never shows again. Challenges that name only
// a target belong to no user, so an empty userID removes nothing.
func (s *ChallengeStore) DeleteChallenges(ctx context.Context, userID string, purpose identity.Purpose) (int, error) {
	if userID == "" {
		return 0, nil
	}
	filter := bson.D{{Key: "user_id", Value: userID}, {Key: "purpose", Value: string(purpose)}}
	cur, err := s.c.coll(colChallenges).Find(ctx, filter, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return 0, dbErr("list challenges", err)
	}
	var ids []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &ids); err != nil {
		return 0, dbErr("list challenges", err)
	}
	n := 0
	for _, d := range ids {
		removed, err := s.delete(ctx, d.ID)
		if err != nil {
			return n, err
		}
		if removed {
			n++
		}
	}
	return n, nil
}

// delete removes challenge id and its use, and reports whether it removed
// an unused challenge.
func (s *ChallengeStore) delete(ctx context.Context, id string) (bool, error) {
	unlock := s.c.locks.docs.lock(colChallenges + "/" + id)
	defer unlock()

	used, err := s.used(ctx, id)
	if err != nil {
		return false, err
	}
	res, err := s.c.coll(colChallenges).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return false, dbErr("delete challenge", err)
	}
	if _, err := s.c.coll(colChalUses).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
		return false, dbErr("delete challenge use", err)
	}
	return res.DeletedCount > 0 && !used, nil
}

// DeleteTargetChallenges implements ports.ChallengeStore on the target
// index. A consumed challenge is kept with its use, so a spent code never
// shows again; each one is judged under its document lock, as
// ConsumeChallenge takes it.
func (s *ChallengeStore) DeleteTargetChallenges(ctx context.Context, target string, purpose identity.Purpose) (int, error) {
	if target == "" {
		return 0, nil
	}
	filter := bson.D{{Key: "target", Value: target}, {Key: "purpose", Value: string(purpose)}}
	cur, err := s.c.coll(colChallenges).Find(ctx, filter, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return 0, dbErr("list target challenges", err)
	}
	var ids []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &ids); err != nil {
		return 0, dbErr("list target challenges", err)
	}
	n := 0
	for _, d := range ids {
		removed, err := s.deleteUnused(ctx, d.ID)
		if err != nil {
			return n, err
		}
		if removed {
			n++
		}
	}
	return n, nil
}

// deleteUnused removes challenge id unless it has its use, and reports
// whether it removed it.
func (s *ChallengeStore) deleteUnused(ctx context.Context, id string) (bool, error) {
	unlock := s.c.locks.docs.lock(colChallenges + "/" + id)
	defer unlock()

	used, err := s.used(ctx, id)
	if err != nil || used {
		return false, err
	}
	res, err := s.c.coll(colChallenges).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return false, dbErr("delete challenge", err)
	}
	return res.DeletedCount > 0, nil
}
