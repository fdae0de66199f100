// Package ports holds the interfaces at the edge of gatehouse's hexagon, in
// core's types: driven ports (stores, cache, signer, clock) that adapters
// implement, and driving ports (use cases) that frontends call.
//
// Each method's doc comment is its contract, including the fault codes it
// returns; ports/porttest checks exactly that against every adapter.
package ports

import (
	"time"
)

// Clock tells the time. Use cases never call time.Now directly.
type Clock interface {
	Now() time.Time
}
