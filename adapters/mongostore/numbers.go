package mongostore

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// numberAttempts bounds the Number claims of one Create. Each lost attempt
// means another Create won a Number, so it is only reached under heavy
// contention from several processes.
const numberAttempts = 100

// numberDoc claims one user Number in colUserNumbers. It outlives its user,
// so a Number is never given twice.
type numberDoc struct {
	Number int64  `bson:"_id"`
	UserID string `bson:"user_id"`
}

// insertNumbered claims the next free Number for d and inserts d with it:
// read the highest claimed Number, claim the one above by insert, and try
// again when another Create claimed it first.
func (s *UserStore) insertNumbered(ctx context.Context, d *userDoc) error {
	unlock := s.c.locks.numbers.lock("")
	defer unlock()

	for range numberAttempts {
		n, err := s.highestNumber(ctx)
		if err != nil {
			return err
		}
		_, err = s.c.coll(colUserNumbers).InsertOne(ctx, numberDoc{Number: n + 1, UserID: d.ID})
		if mongo.IsDuplicateKeyError(err) {
			continue
		}
		if err != nil {
			return dbErr("claim user number", err)
		}
		d.Number = n + 1
		if _, err := s.c.coll(colUsers).InsertOne(ctx, d); err != nil {
			// Unclaim the Number: no user ever held it, so it is not reuse.
			_, uerr := s.c.coll(colUserNumbers).DeleteOne(ctx, bson.D{{Key: "_id", Value: n + 1}})
			if uerr != nil {
				uerr = dbErr("unclaim user number", uerr)
			}
			return errors.Join(s.insertError(ctx, d.ID, err), uerr)
		}
		return nil
	}
	return fmt.Errorf("mongostore: no free user number after %d attempts", numberAttempts)
}

// highestNumber returns the highest Number ever claimed, 0 when none.
func (s *UserStore) highestNumber(ctx context.Context) (int64, error) {
	var last numberDoc
	opts := options.FindOne().SetSort(bson.D{{Key: "_id", Value: -1}})
	err := s.c.coll(colUserNumbers).FindOne(ctx, bson.D{}, opts).Decode(&last)
	if notFound(err) {
		return 0, nil
	}
	if err != nil {
		return 0, dbErr("read highest user number", err)
	}
	return last.Number, nil
}

// insertError classifies a failed user insert: a duplicate key is a taken
// ID when a user has it (else a Number held outside colUserNumbers, which
// only foreign data can cause).
func (s *UserStore) insertError(ctx context.Context, id string, err error) error {
	if !mongo.IsDuplicateKeyError(err) {
		return dbErr("insert user", err)
	}
	if _, ferr := s.ByID(ctx, id); ferr == nil {
		return errIDTaken()
	}
	return dbErr("insert user", err)
}
