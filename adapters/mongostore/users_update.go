package mongostore

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
)

// Update implements ports.UserStore. It claims the handles u gains before
// it writes u, and releases the ones u gives up after, so a handle is never
// free while two users could show it.
//
// The version precondition is checked twice: on the read, which spares the
// claims of an Update that is stale already, and in the write's filter,
// which is what decides. The replacement matches {_id, version: u.Version}
// and carries version u.Version+1, one single-document write, so on
// MongoDB exactly one of concurrent Updates carrying one version matches
// (and the handles it read as current were current when it wrote). On the
// embedded server, where conditional writes are not atomic, the users
// stripe lock held here serializes every Update of the user, and the check
// and the write both happen under it.
func (s *UserStore) Update(ctx context.Context, u identity.User) error {
	unlock := s.c.locks.users.lock(u.ID)
	defer unlock()

	cur, err := s.ByID(ctx, u.ID)
	if err != nil {
		return err
	}
	if cur.Version != u.Version {
		return identity.ErrStaleUser()
	}
	gained, lost := handleChanges(handlesOf(cur), handlesOf(u))
	claimed, err := s.claimAll(ctx, gained, u.ID)
	if err != nil {
		return err
	}

	d := toUserDoc(u)
	d.Number = cur.Number
	d.CreatedAt, d.CreatedUS = toDBTime(cur.CreatedAt), unixMicro(cur.CreatedAt)
	d.Version = u.Version + 1
	res, err := s.c.coll(colUsers).ReplaceOne(ctx, versionFilter(u.ID, u.Version), d)
	if err != nil {
		return errors.Join(dbErr("replace user", err), s.releaseAll(ctx, claimed, u.ID))
	}
	if res.MatchedCount == 0 {
		return s.refused(ctx, u.ID, claimed)
	}
	if err := s.releaseAll(ctx, lost, u.ID); err != nil {
		return fmt.Errorf("mongostore: user %s updated, but: %w", u.ID, err)
	}
	return nil
}

// versionFilter matches the user id at version v. A user stored before
// versions existed has no version field and counts as version 0.
func versionFilter(id string, v int64) bson.D {
	if v == 0 {
		return bson.D{{Key: "_id", Value: id}, {Key: "$or", Value: bson.A{
			bson.D{{Key: "version", Value: int64(0)}},
			bson.D{{Key: "version", Value: bson.D{{Key: "$exists", Value: false}}}},
		}}}
	}
	return bson.D{{Key: "_id", Value: id}, {Key: "version", Value: v}}
}

// refused answers an Update whose write matched nothing: the user was
// deleted or changed after it was read. It releases the handles the Update
// newly claimed, except those the stored user shows now: a concurrent
// Update of the same user that gained the same handle found the claim
// already its user's (not fresh) and relies on it. When the user cannot be
// read, the claims stay: a claim whose holder does not show its handle is
// taken over once stale (see dropStaleClaim), a released one in use is not
// recovered.
func (s *UserStore) refused(ctx context.Context, id string, claimed []handle) error {
	now, err := s.ByID(ctx, id)
	switch {
	case fault.CodeOf(err) == fault.NotFound:
		return errors.Join(err, s.releaseAll(ctx, claimed, id))
	case err != nil:
		return fmt.Errorf("mongostore: user %s not updated, claims kept: %w", id, err)
	}
	shown := handlesOf(now)
	claimed = slices.DeleteFunc(claimed, func(h handle) bool { return slices.Contains(shown, h) })
	return errors.Join(identity.ErrStaleUser(), s.releaseAll(ctx, claimed, id))
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
