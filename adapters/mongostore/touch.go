package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"gatehouse/core/sessions"
)

// TouchFamily implements ports.SessionStore with one $max update, under
// the family's lock because FerretDB rewrites the whole document and would
// otherwise undo a revocation written meanwhile.
func (s *SessionStore) TouchFamily(ctx context.Context, id string, at time.Time) (sessions.Family, error) {
	unlock := s.c.locks.docs.lock(colFamilies + "/" + id)
	defer unlock()

	var d familyDoc
	err := s.c.coll(colFamilies).FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$max", Value: bson.D{{Key: "last_used_at", Value: toDBTime(at)}}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
	if notFound(err) {
		return sessions.Family{}, errFamilyNotFound()
	}
	if err != nil {
		return sessions.Family{}, dbErr("touch family", err)
	}
	return d.family(), nil
}
