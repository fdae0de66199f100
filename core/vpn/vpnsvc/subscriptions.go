package vpnsvc

import (
	"context"

	"gatehouse/core/fault"
	"gatehouse/core/vpn"
)

// Subscription implements ports.VPN.
func (s *Service) Subscription(ctx context.Context, userID string) (vpn.Subscription, error) {
	sub, err := s.store.Subscription(ctx, userID)
	if err != nil {
		return vpn.Subscription{}, err
	}
	return sub.Effective(s.clock.Now()), nil
}

// Grant implements ports.VPN.
func (s *Service) Grant(ctx context.Context, userID string, g vpn.Grant) (vpn.Subscription, error) {
	if err := g.Validate(); err != nil {
		return vpn.Subscription{}, err
	}
	prev, err := s.store.Subscription(ctx, userID)
	if err != nil && !fault.Is(err, fault.NotFound) {
		return vpn.Subscription{}, err
	}
	sub := g.Apply(userID, prev, s.clock.Now())
	if err := s.store.SaveSubscription(ctx, sub); err != nil {
		return vpn.Subscription{}, err
	}
	return sub, nil
}

// RevokeSubscription implements ports.VPN.
func (s *Service) RevokeSubscription(ctx context.Context, userID string) (vpn.Subscription, error) {
	sub, err := s.store.Subscription(ctx, userID)
	if err != nil {
		return vpn.Subscription{}, err
	}
	if err := s.store.SaveSubscription(ctx, sub.Cancel(s.clock.Now())); err != nil {
		return vpn.Subscription{}, err
	}
	// settle compares UpdatedAt with the store's: read it back as stored,
	// since a store may keep times coarser than the clock's (SQLite: ms).
	if sub, err = s.store.Subscription(ctx, userID); err != nil {
		return vpn.Subscription{}, err
	}
	if err := s.settle(ctx, sub); err != nil {
		// The subscription is cancelled either way; the job retries the keys.
		s.log.Warn("vpn: keys of a revoked subscription left for the settle job", "user", userID, "err", err)
	}
	return sub.Effective(s.clock.Now()), nil
}

// settle revokes every live key of ended subscription sub at its
// provisioner and records that it is settled. A subscription granted again
// meanwhile is left alone.
func (s *Service) settle(ctx context.Context, sub vpn.Subscription) error {
	keys, err := s.store.UserKeys(ctx, sub.UserID)
	if err != nil {
		return err
	}
	for _, k := range keys {
		cur, err := s.store.Subscription(ctx, sub.UserID)
		if err != nil {
			return err
		}
		if !cur.UpdatedAt.Equal(sub.UpdatedAt) || cur.Active(s.clock.Now()) {
			return nil // granted again: its keys are wanted
		}
		if err := s.revoke(ctx, k); err != nil {
			return err
		}
	}
	_, err = s.store.SettleSubscription(ctx, sub.UserID, sub.UpdatedAt, s.clock.Now())
	return err
}

// UserDeleted implements ports.UserDeletionHook: the user's keys are
// revoked at their servers, then every VPN record of the user goes.
func (s *Service) UserDeleted(ctx context.Context, userID string) error {
	keys, err := s.store.UserKeys(ctx, userID)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := s.revoke(ctx, k); err != nil {
			return err
		}
	}
	return s.store.DeleteVPNUser(ctx, userID)
}
