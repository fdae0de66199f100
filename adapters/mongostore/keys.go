package mongostore

import (
	"bytes"
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// KeyStore keeps token-signing keys in colKeys; a unique index on
// generation makes replicas that start together agree on one key.
type KeyStore struct {
	c *Client
}

var _ ports.KeyStore = (*KeyStore)(nil)

// NewKeyStore returns the key store of c.
func NewKeyStore(c *Client) *KeyStore { return &KeyStore{c: c} }

// keyDoc is a signing key as stored in colKeys.
type keyDoc struct {
	ID         string     `bson:"_id"`
	Algorithm  string     `bson:"algorithm"`
	Generation int64      `bson:"generation"`
	PrivatePEM []byte     `bson:"private_pem"`
	PublicPEM  []byte     `bson:"public_pem"`
	CreatedAt  *time.Time `bson:"created_at"`
	RetiredAt  *time.Time `bson:"retired_at"`
	NotAfter   *time.Time `bson:"not_after"`
}

// AddKey implements ports.KeyStore.
func (s *KeyStore) AddKey(ctx context.Context, k sessions.SigningKey) error {
	d := keyDoc{
		ID:         k.ID,
		Algorithm:  k.Algorithm,
		Generation: k.Generation,
		PrivatePEM: bytes.Clone(k.PrivatePEM),
		PublicPEM:  bytes.Clone(k.PublicPEM),
		CreatedAt:  toDBTime(k.CreatedAt),
		RetiredAt:  toDBTime(k.RetiredAt),
		NotAfter:   toDBTime(k.NotAfter),
	}
	_, err := s.c.coll(colKeys).InsertOne(ctx, d)
	if mongo.IsDuplicateKeyError(err) {
		return errors.Join(sessions.KeyExists(), err)
	}
	if err != nil {
		return dbErr("insert signing key", err)
	}
	return nil
}

// Keys implements ports.KeyStore.
func (s *KeyStore) Keys(ctx context.Context) ([]sessions.SigningKey, error) {
	opts := options.Find().SetSort(bson.D{{Key: "generation", Value: -1}})
	cur, err := s.c.coll(colKeys).Find(ctx, bson.D{}, opts)
	if err != nil {
		return nil, dbErr("list signing keys", err)
	}
	var docs []keyDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, dbErr("list signing keys", err)
	}
	ks := make([]sessions.SigningKey, 0, len(docs))
	for _, d := range docs {
		ks = append(ks, sessions.SigningKey{
			ID:         d.ID,
			Algorithm:  d.Algorithm,
			Generation: d.Generation,
			PrivatePEM: d.PrivatePEM,
			PublicPEM:  d.PublicPEM,
			CreatedAt:  fromDBTime(d.CreatedAt),
			RetiredAt:  fromDBTime(d.RetiredAt),
			NotAfter:   fromDBTime(d.NotAfter),
		})
	}
	return ks, nil
}

// RetireKey implements ports.KeyStore.
func (s *KeyStore) RetireKey(ctx context.Context, id string, retiredAt, notAfter time.Time) error {
	unlock := s.c.locks.docs.lock(colKeys + "/" + id)
	defer unlock()

	res, err := s.c.coll(colKeys).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{
			{Key: "retired_at", Value: toDBTime(retiredAt)},
			{Key: "not_after", Value: toDBTime(notAfter)},
		}}})
	if err != nil {
		return dbErr("retire signing key", err)
	}
	if res.MatchedCount == 0 {
		return sessions.KeyNotFound()
	}
	return nil
}
