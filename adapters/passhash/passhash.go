// Package passhash implements ports.PasswordHasher: new hashes are argon2id
// PHC strings; argon2id and bcrypt ($2a$, $2b$, $2y$, as written by Laravel
// and PHP) are verified, and anything but argon2id at the current
// parameters is reported for rehash.
//
// Hashing is costly in CPU and, for argon2id, in memory (Options.Memory per
// computation), so a Hasher runs at most Options.Concurrency computations at
// once, lets at most Options.Queue more callers wait, each at most
// Options.QueueWait and no longer than its context, and turns everyone
// beyond away at once with fault.Unavailable passhash.busy and a RetryAfter.
package passhash

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"

	"gatehouse/core/fault"
	"gatehouse/ports"
)

// The defaults are OWASP's first argon2id recommendation (19 MiB, 2
// passes, 1 lane), the RFC 9106 salt length and a 256-bit key.
const (
	DefaultMemory  = 19 * 1024 // KiB
	DefaultTime    = 2
	DefaultThreads = 1
	DefaultSaltLen = 16
	DefaultKeyLen  = 32

	// DefaultPoolMemory caps the default Concurrency (see Options) so that
	// a burst of logins stays near 256 MiB resident on any machine.
	DefaultPoolMemory = 128 << 20 // bytes

	// DefaultQueuePerSlot sizes the default queue: 32 waiting callers per
	// slot are about a second of work at the default parameters on one
	// core (about 30 ms a hash), so a burst of that size is served rather
	// than refused, and its last caller still answers well inside the
	// server's write timeout.
	DefaultQueuePerSlot = 32
	// DefaultQueueWait is how long a caller waits for a slot at most.
	DefaultQueueWait = 2 * time.Second
)

// Options configures a Hasher. Zero fields take the defaults.
type Options struct {
	Memory  uint32 // argon2id memory in KiB
	Time    uint32 // argon2id passes
	Threads uint8  // argon2id lanes
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes

	// Concurrency bounds the hash and verify computations running at once.
	// The default is runtime.NumCPU(), capped so that the pool holds at most
	// DefaultPoolMemory of argon2id memory: each computation allocates
	// Memory afresh, and with the garbage collector's pacing the resident
	// peak under load measures about twice Concurrency × Memory.
	Concurrency int
	// Queue bounds the callers waiting for a slot; beyond it a caller is
	// turned away at once (default DefaultQueuePerSlot × Concurrency). A
	// waiting caller holds no argon2id memory, so the queue costs little.
	Queue int
	// QueueWait bounds how long one caller waits for a slot (default
	// DefaultQueueWait); keep it well under the server's write timeout.
	QueueWait time.Duration
	// Random is the salt source (default crypto/rand.Reader).
	Random io.Reader
}

// argonFunc is argon2.IDKey's signature; tests replace it to observe the pool.
type argonFunc func(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte

// Hasher hashes and verifies passwords. It is safe for concurrent use.
type Hasher struct {
	opts  Options
	gate  *gate
	argon argonFunc
}

var _ ports.PasswordHasher = (*Hasher)(nil)

// New returns a Hasher with o's zero fields set to the defaults.
func New(o Options) (*Hasher, error) {
	if o.Memory == 0 {
		o.Memory = DefaultMemory
	}
	if o.Time == 0 {
		o.Time = DefaultTime
	}
	if o.Threads == 0 {
		o.Threads = DefaultThreads
	}
	if o.SaltLen == 0 {
		o.SaltLen = DefaultSaltLen
	}
	if o.KeyLen == 0 {
		o.KeyLen = DefaultKeyLen
	}
	if o.Concurrency == 0 {
		o.Concurrency = defaultConcurrency(runtime.NumCPU(), o.Memory)
	}
	if o.Queue == 0 {
		o.Queue = DefaultQueuePerSlot * o.Concurrency
	}
	if o.QueueWait == 0 {
		o.QueueWait = DefaultQueueWait
	}
	if o.Random == nil {
		o.Random = rand.Reader
	}
	p := params{memory: o.Memory, time: o.Time, threads: o.Threads, saltLen: o.SaltLen, keyLen: o.KeyLen}
	if err := p.check(); err != nil {
		return nil, fmt.Errorf("passhash: options: %w", err)
	}
	switch {
	case o.Concurrency < 0:
		return nil, fmt.Errorf("passhash: options: concurrency %d is negative", o.Concurrency)
	case o.Queue < 0:
		return nil, fmt.Errorf("passhash: options: queue %d is negative", o.Queue)
	case o.QueueWait < 0:
		return nil, fmt.Errorf("passhash: options: queue wait %s is negative", o.QueueWait)
	}
	return &Hasher{opts: o, gate: newGate(o.Concurrency, o.Queue, o.QueueWait), argon: argon2.IDKey}, nil
}

// defaultConcurrency is cpus, lowered until the pool's argon2id memory
// (memory KiB per slot) fits DefaultPoolMemory, and at least 1.
func defaultConcurrency(cpus int, memory uint32) int {
	fit := int(DefaultPoolMemory / (uint64(memory) * 1024))
	return max(1, min(cpus, fit))
}

// Hash returns a new argon2id PHC string for password with a fresh salt.
// fault.Unavailable passhash.busy with RetryAfter when it is turned away
// (see Options.Queue).
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	p := h.current()
	salt := make([]byte, p.saltLen)
	if _, err := io.ReadFull(h.opts.Random, salt); err != nil {
		return "", fmt.Errorf("passhash: read salt: %w", err)
	}
	release, err := h.acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	key := h.argon([]byte(password), salt, p.time, p.memory, p.threads, p.keyLen)
	return p.encode(salt, key), nil
}

// Verify reports whether password matches hash, compared in constant time,
// and whether hash should be replaced: bcrypt always, argon2id when any of
// its memory, passes, salt or key length is below the current options.
// A malformed or unsupported hash is an error (fault.Internal
// passhash.malformed), never a mismatch. fault.Unavailable passhash.busy
// with RetryAfter when it is turned away (see Options.Queue).
func (h *Hasher) Verify(ctx context.Context, hash, password string) (ok, rehash bool, err error) {
	switch {
	case isArgon2id(hash):
		return h.verifyArgon2id(ctx, hash, password)
	case isBcrypt(hash):
		return h.verifyBcrypt(ctx, hash, password)
	default:
		return false, false, malformed(fmt.Errorf("unknown hash scheme %q", scheme(hash)))
	}
}

// current returns the parameters new hashes are made with.
func (h *Hasher) current() params {
	return params{
		memory: h.opts.Memory, time: h.opts.Time, threads: h.opts.Threads,
		saltLen: h.opts.SaltLen, keyLen: h.opts.KeyLen,
	}
}

// Admit reserves a place for one check ahead of the caller's work towards
// it, without waiting: there are as many places as slots and queue places
// together (Options.Concurrency + Options.Queue). Beyond them, or when ctx
// has ended, fault.Unavailable passhash.busy with RetryAfter. Call release
// once the check is done.
func (h *Hasher) Admit(ctx context.Context) (release func(), err error) { return h.gate.admit(ctx) }

// acquire takes a computation slot through the gate; the returned func
// gives it back.
func (h *Hasher) acquire(ctx context.Context) (func(), error) { return h.gate.acquire(ctx) }

func malformed(err error) error {
	return fault.Wrap(fmt.Errorf("passhash: %w", err), fault.Internal, "passhash.malformed", "")
}

// scheme returns the identifier of a hash ("$argon2i$") for error
// messages, never more, so no hash material reaches a log.
func scheme(hash string) string {
	if !strings.HasPrefix(hash, "$") {
		return ""
	}
	end := strings.IndexByte(hash[1:], '$')
	if end < 0 || end > 16 {
		return "$"
	}
	return hash[:end+2]
}
