package mongostore

import (
	"context"
	"slices"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"gatehouse/core/sessions"
)

// colRevocations holds one document, {_id: "stamp", stamp: <ObjectID>}, set
// to a fresh value after every write that changes which families are
// revoked. A range query on the embedded server scans the whole families
// collection (FerretDB's SQLite backend pushes down only _id equality), so
// RevokedSince, polled every second, answers from its last scan while the
// stamp, one _id read, is unchanged.
const colRevocations = "session_revocations"

// feedMemo is the last complete answer of RevokedSince: every family
// revoked at or after since, read after the stamp was.
type feedMemo struct {
	mu    sync.Mutex
	valid bool
	stamp bson.ObjectID
	since time.Time
	fs    []sessions.Family
}

// RevokedSince implements ports.SessionStore with one range query on the
// revoked_at index, or none when no revocation was written since the last
// one that covers since. A live family's revoked_at is null, which a date
// bound never matches.
func (s *SessionStore) RevokedSince(ctx context.Context, since time.Time, limit int) ([]sessions.Family, error) {
	if limit < 1 {
		return nil, sessions.LimitInvalid()
	}
	since = storedBound(since)
	// The stamp is read before the families, so a revocation the query
	// misses changes the stamp after this read.
	stamp, err := s.revocationStamp(ctx)
	if err != nil {
		return nil, err
	}
	s.memo.mu.Lock()
	defer s.memo.mu.Unlock()
	if m := &s.memo; m.valid && m.stamp == stamp && !since.Before(m.since) {
		i, _ := slices.BinarySearchFunc(m.fs, since, func(f sessions.Family, t time.Time) int { return f.RevokedAt.Compare(t) })
		return slices.Clone(m.fs[i:min(len(m.fs), i+limit)]), nil
	}
	fs, err := s.revokedSince(ctx, since, limit)
	if err != nil {
		return nil, err
	}
	m := &s.memo
	m.valid, m.stamp, m.since, m.fs = len(fs) < limit, stamp, since, slices.Clone(fs)
	return fs, nil
}

// revokedSince queries the families revoked at or after since.
func (s *SessionStore) revokedSince(ctx context.Context, since time.Time, limit int) ([]sessions.Family, error) {
	filter := bson.D{{Key: "revoked_at", Value: bson.D{{Key: "$gte", Value: since}}}}
	opts := options.Find().
		SetSort(bson.D{{Key: "revoked_at", Value: 1}, {Key: "_id", Value: 1}}).
		SetLimit(int64(limit))
	cur, err := s.c.coll(colFamilies).Find(ctx, filter, opts)
	if err != nil {
		return nil, dbErr("list revoked families", err)
	}
	var docs []familyDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, dbErr("list revoked families", err)
	}
	fs := make([]sessions.Family, 0, len(docs))
	for _, d := range docs {
		fs = append(fs, d.family())
	}
	return fs, nil
}

// revocationStamp reads the stamp; the zero ObjectID when never written.
func (s *SessionStore) revocationStamp(ctx context.Context) (bson.ObjectID, error) {
	var d struct {
		Stamp bson.ObjectID `bson:"stamp"`
	}
	err := s.c.coll(colRevocations).FindOne(ctx, bson.D{{Key: "_id", Value: "stamp"}}).Decode(&d)
	if err != nil && !notFound(err) {
		return bson.ObjectID{}, dbErr("read revocation stamp", err)
	}
	return d.Stamp, nil
}

// restamp sets a fresh stamp, after a write that may have changed which
// families are revoked: a blind write of a unique value, so no concurrent
// restamp can leave the value a reader saw before it. Two first upserts can
// race to insert the document; the loser's retry then finds it and updates.
func (s *SessionStore) restamp(ctx context.Context) error {
	var err error
	for range 3 {
		_, err = s.c.coll(colRevocations).UpdateOne(ctx, bson.D{{Key: "_id", Value: "stamp"}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "stamp", Value: bson.NewObjectID()}}}},
			options.UpdateOne().SetUpsert(true))
		if !mongo.IsDuplicateKeyError(err) {
			break
		}
	}
	if err != nil {
		return dbErr("write revocation stamp", err)
	}
	return nil
}

// storedBound is the least stored time at or after t: stored times have
// millisecond precision, so a finer t rounds up, and "at or after t" means
// the same of stored values as of t itself. A zero t stays the zero
// instant (a date, not null).
func storedBound(t time.Time) time.Time {
	u := t.UTC()
	if r := u.Truncate(time.Millisecond); !r.Equal(u) {
		return r.Add(time.Millisecond)
	}
	return u
}
