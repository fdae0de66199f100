package vpnsvc

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"
)

// The leases of the periodic jobs in the shared cache: of all replicas,
// the one that takes a job's lease runs that round.
const (
	refreshLease = "vpn:lease:refresh"
	settleLease  = "vpn:lease:settle"
)

// RefreshEvery is how often the app runs RefreshJob.
func (s *Service) RefreshEvery() time.Duration { return s.refreshEvery }

// SettleEvery is how often the app runs SettleJob.
func (s *Service) SettleEvery() time.Duration { return s.settleEvery }

// RefreshJob is the periodic step of the active-connection refresh: the app
// runs it every RefreshEvery on every replica, and the replica that takes
// the round's lease in the shared cache runs RefreshActive; the others
// return nil at once.
func (s *Service) RefreshJob(ctx context.Context) error {
	return s.leased(ctx, refreshLease, s.refreshEvery, s.RefreshActive)
}

// SettleJob is the periodic step that revokes the keys of ended
// subscriptions: the app runs it every SettleEvery on every replica, and
// the replica that takes the round's lease runs SettleEnded.
func (s *Service) SettleJob(ctx context.Context) error {
	return s.leased(ctx, settleLease, s.settleEvery, func(ctx context.Context) error {
		_, err := s.SettleEnded(ctx)
		return err
	})
}

// leased runs job when this replica takes lease for this round. The lease
// lapses a little before the next round, so that any replica, this one
// included, can take that round.
func (s *Service) leased(ctx context.Context, lease string, every time.Duration, job func(context.Context) error) error {
	ok, err := s.cache.SetNX(ctx, lease, []byte("1"), every*9/10)
	if err != nil || !ok {
		return err
	}
	return job(ctx)
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
