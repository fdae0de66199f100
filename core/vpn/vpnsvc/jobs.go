package vpnsvc

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"sync"
	"time"
)

// The leases of the background jobs in the shared cache: of all replicas,
// the one that takes a job's lease runs that round.
const (
	refreshLease = "vpn:lease:refresh"
	settleLease  = "vpn:lease:settle"
)

// lifecycle is the Service's background work.
type lifecycle struct {
	mu      sync.Mutex
	started bool
	stopped bool
	cancel  context.CancelFunc
	done    sync.WaitGroup
}

// Start launches the background jobs: every RefreshEvery the active
// connections of every enabled server are fetched from its provisioner and
// cached, and every SettleEvery the keys of ended subscriptions are revoked
// at their provisioners. Each round runs on one replica at a time (a lease
// in the shared cache). Start returns at once; the jobs run until Stop.
func (s *Service) Start(ctx context.Context) error {
	s.life.mu.Lock()
	defer s.life.mu.Unlock()
	if s.life.started || s.life.stopped {
		return errors.New("vpnsvc: Start: already started or stopped")
	}
	// The jobs outlive Start's ctx (an fx start timeout).
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.life.started, s.life.cancel = true, cancel
	s.life.done.Add(2)
	go func() {
		defer s.life.done.Done()
		s.every(bg, s.refreshEvery, refreshLease, "refresh active connections", s.RefreshActive)
	}()
	go func() {
		defer s.life.done.Done()
		s.every(bg, s.settleEvery, settleLease, "revoke keys of ended subscriptions", func(ctx context.Context) error {
			_, err := s.SettleEnded(ctx)
			return err
		})
	}()
	return nil
}

// Stop ends the background jobs and waits for a round under way to end,
// or for ctx.
func (s *Service) Stop(ctx context.Context) error {
	s.life.mu.Lock()
	defer s.life.mu.Unlock()
	if s.life.stopped {
		return nil
	}
	s.life.stopped = true
	if s.life.cancel == nil {
		return nil
	}
	s.life.cancel()
	done := make(chan struct{})
	go func() { s.life.done.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// every runs job now and then every interval until ctx ends, each round
// only when this replica takes the lease.
func (s *Service) every(ctx context.Context, interval time.Duration, lease, what string, job func(context.Context) error) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		// The lease lapses a little before the next round, so that any
		// replica, this one included, can take that round.
		ok, err := s.cache.SetNX(ctx, lease, []byte("1"), interval*9/10)
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Warn("vpn: take job lease", "job", what, "err", err)
		case ok:
			if err := job(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("vpn: "+what, "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// RefreshActive runs one round of the refresh job at once, on this
// replica: it asks each enabled server's provisioner for its metrics,
// caches the active connections (a server that does not answer keeps its
// last count) and records each key's transfer. It returns the first
// failure after trying every server.
func (s *Service) RefreshActive(ctx context.Context) error {
	servers, err := s.store.Servers(ctx)
	if err != nil {
		return err
	}
	counts := s.cachedCounts(ctx)
	var errs []error
	for _, srv := range servers {
		if !srv.Enabled {
			continue
		}
		prov, err := s.provisioner(srv)
		if err != nil {
			continue // keys of this protocol are not provisioned here
		}
		m, err := prov.Metrics(ctx, srv)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		counts[strconv.FormatInt(srv.ID, 10)] = m.ActiveConnections
		if err := s.recordTraffic(ctx, srv.ID, m.TransferByRemoteID); err != nil {
			errs = append(errs, err)
		}
	}
	raw, err := json.Marshal(counts)
	if err != nil {
		return err
	}
	// The counts outlive a few missed rounds, not a long outage of the job.
	if err := s.cache.Set(ctx, activeKey, raw, 10*s.refreshEvery); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// recordTraffic stores each live key's transfer as its server reported it.
func (s *Service) recordTraffic(ctx context.Context, serverID int64, byRemote map[string]int64) error {
	if len(byRemote) == 0 {
		return nil
	}
	keys, err := s.store.ServerKeys(ctx, serverID)
	if err != nil {
		return err
	}
	for _, k := range keys {
		bytes, ok := byRemote[k.Material.RemoteID]
		if !ok || bytes == k.TrafficBytes || k.Material.RemoteID == "" {
			continue
		}
		if err := s.store.SetKeyTraffic(ctx, k.ID, bytes); err != nil {
			return err
		}
	}
	return nil
}

// SettleEnded runs one round of the settle job at once, on this replica:
// the live keys of every subscription that has ended (expired or
// cancelled) are revoked at their provisioners and in the store. It is
// idempotent, so rounds on several replicas at once do no harm. It returns
// how many subscriptions it settled and the first failure after trying
// every one; those that failed are tried again next round.
func (s *Service) SettleEnded(ctx context.Context) (int, error) {
	subs, err := s.store.UnsettledSubscriptions(ctx, s.clock.Now(), settleBatch)
	if err != nil {
		return 0, err
	}
	settled := 0
	var errs []error
	for _, sub := range subs {
		if err := s.settle(ctx, sub); err != nil {
			errs = append(errs, err)
			continue
		}
		settled++
	}
	return settled, errors.Join(errs...)
}
