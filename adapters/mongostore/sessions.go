package mongostore

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// SessionStore keeps refresh-token families, refresh tokens, their single
// uses and devices.
type SessionStore struct {
	c    *Client
	memo feedMemo // see revoked.go
}

var _ ports.SessionStore = (*SessionStore)(nil)

// NewSessionStore returns the session store of c.
func NewSessionStore(c *Client) *SessionStore { return &SessionStore{c: c} }

func errFamilyNotFound() error {
	return sessions.FamilyNotFound()
}

// CreateFamily implements ports.SessionStore.
func (s *SessionStore) CreateFamily(ctx context.Context, f sessions.Family) error {
	_, err := s.c.coll(colFamilies).InsertOne(ctx, toFamilyDoc(f))
	if mongo.IsDuplicateKeyError(err) {
		return errors.Join(sessions.FamilyExists(), err)
	}
	if err != nil {
		return dbErr("insert family", err)
	}
	if f.Revoked() {
		return s.restamp(ctx)
	}
	return nil
}

// Family implements ports.SessionStore.
func (s *SessionStore) Family(ctx context.Context, id string) (sessions.Family, error) {
	var d familyDoc
	err := s.c.coll(colFamilies).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if notFound(err) {
		return sessions.Family{}, errFamilyNotFound()
	}
	if err != nil {
		return sessions.Family{}, dbErr("find family", err)
	}
	return d.family(), nil
}

// RevokeFamily implements ports.SessionStore. The update matches only a
// live family, so the first revocation is the one kept. The stamp is
// renewed even when the family was revoked already, so a retry after a
// failed restamp still renews it.
func (s *SessionStore) RevokeFamily(ctx context.Context, id string, at time.Time, reason string) error {
	revoked, err := s.revoke(ctx, id, at, reason)
	if err != nil {
		return err
	}
	if !revoked {
		if _, err := s.Family(ctx, id); err != nil {
			return err
		}
	}
	return s.restamp(ctx)
}

// revoke revokes family id if it is live and reports whether it did.
func (s *SessionStore) revoke(ctx context.Context, id string, at time.Time, reason string) (bool, error) {
	unlock := s.c.locks.docs.lock(colFamilies + "/" + id)
	defer unlock()

	res, err := s.c.coll(colFamilies).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "revoked_at", Value: nil}},
		bson.D{{Key: "$set", Value: bson.D{
			{Key: "revoked_at", Value: toDBTime(at)},
			{Key: "reason", Value: reason},
		}}})
	if err != nil {
		return false, dbErr("revoke family", err)
	}
	return res.MatchedCount > 0, nil
}

// RevokeUserFamilies implements ports.SessionStore. Each family is revoked
// by its own conditional update, so of concurrent calls exactly one
// reports a family.
func (s *SessionStore) RevokeUserFamilies(ctx context.Context, userID string, at time.Time, reason string) ([]string, error) {
	live, err := s.families(ctx, bson.D{{Key: "user_id", Value: userID}, {Key: "revoked_at", Value: nil}})
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, f := range live {
		revoked, err := s.revoke(ctx, f.ID, at, reason)
		if err != nil {
			return ids, err
		}
		if revoked {
			ids = append(ids, f.ID)
		}
	}
	return ids, s.restamp(ctx)
}

// Families implements ports.SessionStore.
func (s *SessionStore) Families(ctx context.Context, userID string) ([]sessions.Family, error) {
	return s.families(ctx, bson.D{{Key: "user_id", Value: userID}})
}

// families returns the families matching filter, newest first.
func (s *SessionStore) families(ctx context.Context, filter bson.D) ([]sessions.Family, error) {
	opts := options.Find().SetSort(bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: 1}})
	cur, err := s.c.coll(colFamilies).Find(ctx, filter, opts)
	if err != nil {
		return nil, dbErr("list families", err)
	}
	var docs []familyDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, dbErr("list families", err)
	}
	fs := make([]sessions.Family, 0, len(docs))
	for _, d := range docs {
		fs = append(fs, d.family())
	}
	return fs, nil
}

// AddRefresh implements ports.SessionStore.
func (s *SessionStore) AddRefresh(ctx context.Context, t sessions.RefreshToken) error {
	_, err := s.c.coll(colRefresh).InsertOne(ctx, toRefreshDoc(t))
	if mongo.IsDuplicateKeyError(err) {
		return errors.Join(sessions.RefreshExists(), err)
	}
	if err != nil {
		return dbErr("insert refresh token", err)
	}
	return nil
}

// Refresh implements ports.SessionStore.
func (s *SessionStore) Refresh(ctx context.Context, hash string) (sessions.RefreshToken, error) {
	var d refreshDoc
	err := s.c.coll(colRefresh).FindOne(ctx, bson.D{{Key: "_id", Value: hash}}).Decode(&d)
	if notFound(err) {
		return sessions.RefreshToken{}, sessions.RefreshNotFound()
	}
	if err != nil {
		return sessions.RefreshToken{}, dbErr("find refresh token", err)
	}
	return d.token(), nil
}

// ConsumeRefresh implements ports.SessionStore by inserting the token's
// single use under its hash: of concurrent inserts exactly one succeeds,
// on MongoDB and FerretDB alike.
func (s *SessionStore) ConsumeRefresh(ctx context.Context, hash string, at time.Time) error {
	t, err := s.Refresh(ctx, hash)
	if err != nil {
		return err
	}
	_, err = s.c.coll(colRefreshUses).InsertOne(ctx, refreshUseDoc{Hash: hash, UserID: t.UserID, UsedAt: toDBTime(at)})
	if mongo.IsDuplicateKeyError(err) {
		return errors.Join(sessions.RefreshReused(), err)
	}
	if err != nil {
		return dbErr("consume refresh token", err)
	}
	return nil
}

// DeleteUser implements ports.SessionStore.
func (s *SessionStore) DeleteUser(ctx context.Context, userID string) error {
	for _, col := range []string{colRefreshUses, colRefresh, colFamilies, colDevices} {
		if _, err := s.c.coll(col).DeleteMany(ctx, bson.D{{Key: "user_id", Value: userID}}); err != nil {
			return dbErr("delete user's "+col, err)
		}
	}
	return s.restamp(ctx)
}
