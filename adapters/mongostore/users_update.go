package mongostore

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"

	"gatehouse/core/identity"
)

// Update implements ports.UserStore. It claims the handles u gains before
// it writes u, and releases the ones u gives up after, so a handle is never
// free while two users could show it.
func (s *UserStore) Update(ctx context.Context, u identity.User) error {
	unlock := s.c.locks.users.lock(u.ID)
	defer unlock()

	cur, err := s.ByID(ctx, u.ID)
	if err != nil {
		return err
	}
	gained, lost := handleChanges(handlesOf(cur), handlesOf(u))
	claimed, err := s.claimAll(ctx, gained, u.ID)
	if err != nil {
		return err
	}

	d := toUserDoc(u)
	d.Number = cur.Number
	d.CreatedAt = toDBTime(cur.CreatedAt)
	res, err := s.c.coll(colUsers).ReplaceOne(ctx, bson.D{{Key: "_id", Value: u.ID}}, d)
	if err != nil {
		return errors.Join(dbErr("replace user", err), s.releaseAll(ctx, claimed, u.ID))
	}
	if res.MatchedCount == 0 {
		return errors.Join(errUserNotFound(), s.releaseAll(ctx, claimed, u.ID))
	}
	if err := s.releaseAll(ctx, lost, u.ID); err != nil {
		return fmt.Errorf("mongostore: user %s updated, but: %w", u.ID, err)
	}
	return nil
}

// handleChanges returns the handles in next but not in prev (gained) and
// those in prev but not in next (lost).
func handleChanges(prev, next []handle) (gained, lost []handle) {
	for _, h := range next {
		if !slices.Contains(prev, h) {
			gained = append(gained, h)
		}
	}
	for _, h := range prev {
		if !slices.Contains(next, h) {
			lost = append(lost, h)
		}
	}
	return gained, lost
}
