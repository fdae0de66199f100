package mongostore

import (
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"gatehouse/core/fault"
)

// dbErr wraps a driver error with what was being done. A database that
// cannot be reached, or that refuses the operation (a full disk, a
// read-only node, a lost primary: any error the server answers), is
// fault.Unavailable, so clients get 503 and retry; callers have already
// turned the server errors that are domain outcomes (duplicate keys) into
// their faults. Anything else (a document that does not decode) stays
// unclassified, which is internal.
func dbErr(op string, err error) error {
	wrapped := fmt.Errorf("mongostore: %s: %w", op, err)
	var server mongo.ServerError
	// Server selection that gives up ends in a timeout, so IsTimeout covers
	// a server that is down as well as one that is slow.
	if mongo.IsNetworkError(err) || mongo.IsTimeout(err) || errors.Is(err, mongo.ErrClientDisconnected) ||
		errors.As(err, &server) {
		return fault.Wrap(wrapped, fault.Unavailable, ReasonUnavailable, "Storage is unavailable.")
	}
	return wrapped
}

// ReasonUnavailable is the fault reason of a storage that cannot serve.
const ReasonUnavailable = "storage.unavailable"

// notFound reports whether err says a single-document read found nothing.
func notFound(err error) bool { return errors.Is(err, mongo.ErrNoDocuments) }
