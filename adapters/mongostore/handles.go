package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
)

// staleClaimAfter is how old a claim must be before it may be judged
// stale. A Create or Update holds a claim for a moment before its user
// document shows the handle; only a claim older than any such moment, whose
// holder does not show the handle, was left by a crash and may be taken over.
const staleClaimAfter = time.Minute

// claimAttempts bounds how often a claim is retried after taking over a
// stale one.
const claimAttempts = 3

// handleDoc records which user holds a handle, in colUserHandles.
type handleDoc struct {
	Key       string    `bson:"_id"` // handle.key()
	UserID    string    `bson:"user_id"`
	ClaimedAt time.Time `bson:"claimed_at"`
}

// claimAll claims every handle for userID and returns those it newly
// claimed. On a conflict or error it releases what it claimed and fails:
// fault.Conflict identity.<kind>_taken when another user holds a handle.
func (s *UserStore) claimAll(ctx context.Context, hs []handle, userID string) ([]handle, error) {
	var claimed []handle
	for _, h := range hs {
		fresh, err := s.claim(ctx, h, userID)
		if err != nil {
			return nil, errors.Join(err, s.releaseAll(ctx, claimed, userID))
		}
		if fresh {
			claimed = append(claimed, h)
		}
	}
	return claimed, nil
}

// claim inserts h's claim for userID. fresh is false when userID held it
// already.
func (s *UserStore) claim(ctx context.Context, h handle, userID string) (fresh bool, err error) {
	for range claimAttempts {
		doc := handleDoc{Key: h.key(), UserID: userID, ClaimedAt: time.Now().UTC().Truncate(time.Millisecond)}
		_, err := s.c.coll(colUserHandles).InsertOne(ctx, doc)
		if err == nil {
			return true, nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return false, dbErr("claim "+h.kind, err)
		}
		ours, err := s.dropStaleClaim(ctx, h, userID)
		if err != nil || ours {
			return false, err
		}
	}
	return false, identity.HandleTaken(h.kind)
}

// dropStaleClaim looks at the claim that stopped an insert. It reports
// ours when userID holds it, fails with Conflict when another user does,
// and deletes it when it is stale, so that the caller may claim again.
func (s *UserStore) dropStaleClaim(ctx context.Context, h handle, userID string) (ours bool, err error) {
	unlock := s.c.locks.handles.lock(h.key())
	defer unlock()

	var cur handleDoc
	err = s.c.coll(colUserHandles).FindOne(ctx, bson.D{{Key: "_id", Value: h.key()}}).Decode(&cur)
	if notFound(err) {
		return false, nil // released meanwhile: claim again
	}
	if err != nil {
		return false, dbErr("read "+h.kind+" claim", err)
	}
	if cur.UserID == userID {
		return true, nil
	}
	taken := identity.HandleTaken(h.kind)
	if time.Since(cur.ClaimedAt) < staleClaimAfter {
		return false, taken
	}
	holder, err := s.ByID(ctx, cur.UserID)
	switch {
	case err == nil && handleValue(holder, h.kind) == h.value:
		return false, taken
	case err != nil && fault.CodeOf(err) != fault.NotFound:
		return false, err
	}
	_, err = s.c.coll(colUserHandles).DeleteOne(ctx, bson.D{
		{Key: "_id", Value: h.key()},
		{Key: "user_id", Value: cur.UserID},
		{Key: "claimed_at", Value: cur.ClaimedAt},
	})
	if err != nil {
		return false, dbErr("drop stale "+h.kind+" claim", err)
	}
	return false, nil
}

// releaseAll deletes userID's claims of hs; claims held by others stay.
func (s *UserStore) releaseAll(ctx context.Context, hs []handle, userID string) error {
	var errs []error
	for _, h := range hs {
		unlock := s.c.locks.handles.lock(h.key())
		_, err := s.c.coll(colUserHandles).DeleteOne(ctx, bson.D{
			{Key: "_id", Value: h.key()},
			{Key: "user_id", Value: userID},
		})
		unlock()
		if err != nil {
			errs = append(errs, dbErr(fmt.Sprintf("release %s claim", h.kind), err))
		}
	}
	return errors.Join(errs...)
}
