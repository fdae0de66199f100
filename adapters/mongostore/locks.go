package mongostore

import (
	"hash/maphash"
	"sync"
)

// stripeCount is how many mutexes a lock class spreads its keys over.
const stripeCount = 64

// stripes serializes operations on one key at a time, spreading keys over
// a fixed set of mutexes. The zero value (no mutexes) does not lock.
type stripes struct {
	seed maphash.Seed
	mu   []sync.Mutex
}

func newStripes(on bool, n int) stripes {
	if !on {
		return stripes{}
	}
	return stripes{seed: maphash.MakeSeed(), mu: make([]sync.Mutex, n)}
}

// lock locks key's stripe and returns its unlock.
func (s stripes) lock(key string) (unlock func()) {
	if len(s.mu) == 0 {
		return func() {}
	}
	m := &s.mu[maphash.String(s.seed, key)%uint64(len(s.mu))]
	m.Lock()
	return m.Unlock
}

// locks holds one stripes per lock class. Classes are taken in the order
// of the fields (a user, then its handles; numbers alone; docs alone) and a
// class is never taken twice at once, so no two callers wait on each other.
type locks struct {
	users   stripes // a user's Create, Update, Delete
	handles stripes // one handle claim's check-and-release
	numbers stripes // the user Number sequence
	docs    stripes // one family, device, key, link or challenge update
}

func newLocks(on bool) locks {
	return locks{
		users:   newStripes(on, stripeCount),
		handles: newStripes(on, stripeCount),
		numbers: newStripes(on, 1),
		docs:    newStripes(on, stripeCount),
	}
}
