// Package vpnsvc implements the VPN use cases (ports.VPN): devices within a
// subscription's limit, one access key per user, device and server made by
// the server's provisioner, subscription links, and two background jobs —
// the active-connection refresh and the revocation of ended subscriptions'
// keys.
//
// The jobs are steps (RefreshJob, SettleJob) that the app runs every
// RefreshEvery and SettleEvery on every replica; a lease in the shared
// cache lets one replica run each round.
//
// A key is made in three steps: claim its slot in the store (one claim wins
// however many requests race), have the provisioner make it, record its
// material. A request that finds the slot claimed waits for the winner's
// key. When the provisioner fails, the claim is dropped, so nothing
// half-made stays.
package vpnsvc

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/vpn"
	"gatehouse/ports"
)

var (
	_ ports.VPN              = (*Service)(nil)
	_ ports.UserDeletionHook = (*Service)(nil)
)

const (
	// DefaultRefreshEvery is how often active connections are fetched.
	DefaultRefreshEvery = time.Minute
	// DefaultSettleEvery is how often ended subscriptions' keys are revoked.
	DefaultSettleEvery = time.Minute
	// DefaultKeyWait bounds how long a request waits for a key another
	// request is making.
	DefaultKeyWait = 15 * time.Second
	// DefaultDeviceLimit is how many devices a user without a subscription
	// may register.
	DefaultDeviceLimit = 1
	// settleBatch is how many ended subscriptions one settle round takes.
	settleBatch = 200
	// activeKey holds the active connections of every server (JSON).
	activeKey = "vpn:active"
)

// Deps are what the Service needs.
type Deps struct {
	Store        ports.VPNStore
	Cache        ports.Cache // shared by every replica: counts, job leases
	Provisioners ports.Provisioners
	Clock        ports.Clock
	Random       io.Reader // cryptographically secure, e.g. crypto/rand.Reader
	Log          *slog.Logger
	// DefaultDeviceLimit: devices of a user without a subscription; 0
	// means DefaultDeviceLimit.
	DefaultDeviceLimit int
	RefreshEvery       time.Duration // 0 means DefaultRefreshEvery
	SettleEvery        time.Duration // 0 means DefaultSettleEvery
	KeyWait            time.Duration // 0 means DefaultKeyWait
	// Sessions signs apps out on a device that is removed (nil: nobody).
	Sessions ports.DeviceSignOut
}

// Service implements ports.VPN and ports.UserDeletionHook. It is safe for
// concurrent use.
type Service struct {
	store        ports.VPNStore
	cache        ports.Cache
	provs        ports.Provisioners
	clock        ports.Clock
	random       io.Reader
	randomMu     sync.Mutex // io.Reader is not safe for concurrent use
	log          *slog.Logger
	deviceLimit  int
	refreshEvery time.Duration
	settleEvery  time.Duration
	keyWait      time.Duration
	sessions     ports.DeviceSignOut
}

// New returns a Service, or an error naming the missing dependency.
func New(d Deps) (*Service, error) {
	switch {
	case d.Store == nil:
		return nil, errors.New("vpnsvc: store is required")
	case d.Cache == nil:
		return nil, errors.New("vpnsvc: cache is required")
	case d.Clock == nil:
		return nil, errors.New("vpnsvc: clock is required")
	case d.Random == nil:
		return nil, errors.New("vpnsvc: random source is required")
	case d.DefaultDeviceLimit < 0 || d.RefreshEvery < 0 || d.SettleEvery < 0 || d.KeyWait < 0:
		return nil, fmt.Errorf("vpnsvc: negative limit or interval in %+v", d)
	}
	s := &Service{
		store: d.Store, cache: d.Cache, provs: d.Provisioners, clock: d.Clock, random: d.Random,
		log:          d.Log,
		deviceLimit:  or(d.DefaultDeviceLimit, DefaultDeviceLimit),
		refreshEvery: or(d.RefreshEvery, DefaultRefreshEvery),
		settleEvery:  or(d.SettleEvery, DefaultSettleEvery),
		keyWait:      or(d.KeyWait, DefaultKeyWait),
		sessions:     d.Sessions,
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s, nil
}

func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// newToken draws a key ID or a secret token.
func (s *Service) newToken() (string, error) {
	var b [vpn.IDBytes]byte
	s.randomMu.Lock()
	_, err := io.ReadFull(s.random, b[:])
	s.randomMu.Unlock()
	if err != nil {
		return "", fault.Wrap(err, fault.Internal, "vpn.random", "")
	}
	return vpn.NewToken(b[:])
}

// provisioner returns the provisioner of server srv.
func (s *Service) provisioner(srv vpn.Server) (ports.Provisioner, error) {
	return s.provs.For(srv.Protocol)
}

// fromProvisioner classifies what a provisioner returned: its faults pass,
// anything unclassified means the server could not be reached.
func fromProvisioner(err error) error {
	if err == nil || fault.CodeOf(err) != fault.Internal {
		return err
	}
	return vpn.ProvisionerDown(err)
}
