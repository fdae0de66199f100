package mongostore

import (
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"gatehouse/core/fault"
)

// dbErr wraps a driver error with what was being done. A database that
// cannot be reached is fault.Unavailable; anything else stays unclassified,
// which is internal.
func dbErr(op string, err error) error {
	wrapped := fmt.Errorf("mongostore: %s: %w", op, err)
	// Server selection that gives up ends in a timeout, so IsTimeout covers
	// a server that is down as well as one that is slow.
	if mongo.IsNetworkError(err) || mongo.IsTimeout(err) || errors.Is(err, mongo.ErrClientDisconnected) {
		return fault.Wrap(wrapped, fault.Unavailable, "storage.unavailable", "Storage is unavailable.")
	}
	return wrapped
}

// notFound reports whether err says a single-document read found nothing.
func notFound(err error) bool { return errors.Is(err, mongo.ErrNoDocuments) }
