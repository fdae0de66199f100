package ports

import (
	"fmt"

	"gatehouse/core/fault"
)

// The stable reasons of Archive faults, as Archive documents them.
const (
	ReasonCollectionUnknown = "storage.collection_unknown"
	ReasonSequenceUnknown   = "storage.sequence_unknown"
	ReasonKeyInvalid        = "storage.key_invalid"
	ReasonKeyTaken          = "storage.key_taken"
)

// CollectionUnknown is the fault for a collection the database does not have.
func CollectionUnknown(c Collection) error {
	return fault.New(fault.Invalid, ReasonCollectionUnknown, fmt.Sprintf("No collection %q.", c))
}

// SequenceUnknown is the fault for a sequence of a collection the database
// does not number.
func SequenceUnknown(name Collection) error {
	return fault.New(fault.Invalid, ReasonSequenceUnknown, fmt.Sprintf("No sequence numbers %q here.", name))
}

// KeyInvalid is the fault for a record key that does not parse as its
// collection's key; err is why.
func KeyInvalid(c Collection, key string, err error) error {
	return fault.Wrap(err, fault.Invalid, ReasonKeyInvalid, fmt.Sprintf("%q is not a key of %s.", key, c))
}

// KeyTaken is the fault for a record that shares a unique key (on) with
// another stored record; err is the database's report.
func KeyTaken(c Collection, key, on string, err error) error {
	return fault.Wrap(err, fault.Conflict, ReasonKeyTaken, fmt.Sprintf("%s %s clashes with a stored record on %s.", c, key, on))
}
