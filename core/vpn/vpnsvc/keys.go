package vpnsvc

import (
	"context"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/vpn"
	"gatehouse/ports"
)

// First and last pause between looks at a key another request is making.
const (
	pollFirst = 5 * time.Millisecond
	pollMax   = 250 * time.Millisecond
)

// Key implements ports.VPN.
func (s *Service) Key(ctx context.Context, userID, deviceRef string, serverID int64) (vpn.AccessKey, error) {
	sub, err := s.activeSubscription(ctx, userID)
	if err != nil {
		return vpn.AccessKey{}, err
	}
	dev, err := s.device(ctx, userID, deviceRef)
	if err != nil {
		return vpn.AccessKey{}, err
	}
	srv, err := s.store.Server(ctx, serverID)
	if err != nil {
		return vpn.AccessKey{}, err
	}
	if !srv.Enabled {
		return vpn.AccessKey{}, vpn.ServerDisabled()
	}
	prov, err := s.provisioner(srv)
	if err != nil {
		return vpn.AccessKey{}, err
	}
	return s.obtain(ctx, sub, dev, srv, prov)
}

// KeyQR implements ports.VPN.
func (s *Service) KeyQR(ctx context.Context, userID, deviceRef string, serverID int64) ([]byte, error) {
	k, err := s.Key(ctx, userID, deviceRef, serverID)
	if err != nil {
		return nil, err
	}
	prov, err := s.provs.For(k.Protocol)
	if err != nil {
		return nil, err
	}
	return prov.QR(k.Material)
}

// Keys implements ports.VPN.
func (s *Service) Keys(ctx context.Context, userID string) ([]vpn.AccessKey, error) {
	keys, err := s.store.UserKeys(ctx, userID)
	if err != nil {
		return nil, err
	}
	issued := keys[:0]
	for _, k := range keys {
		if k.Issued() {
			issued = append(issued, k)
		}
	}
	return issued, nil
}

// activeSubscription returns the user's subscription when it is active;
// fault.Forbidden vpn.subscription_inactive otherwise (none included).
func (s *Service) activeSubscription(ctx context.Context, userID string) (vpn.Subscription, error) {
	sub, err := s.store.Subscription(ctx, userID)
	if fault.Is(err, fault.NotFound) {
		return vpn.Subscription{}, vpn.SubscriptionInactive()
	}
	if err != nil {
		return vpn.Subscription{}, err
	}
	return sub, sub.RequireActive(s.clock.Now())
}

// obtain returns the live key of the slot, making it when there is none
// and waiting while another request makes it.
func (s *Service) obtain(ctx context.Context, sub vpn.Subscription, dev vpn.Device, srv vpn.Server, prov ports.Provisioner) (vpn.AccessKey, error) {
	pause, waited := pollFirst, time.Duration(0)
	for {
		k, err := s.store.LiveKey(ctx, sub.UserID, dev.ID, srv.ID)
		switch {
		case err == nil && k.Issued():
			return k, nil
		case err == nil && k.Abandoned(s.clock.Now()):
			// Its maker died half-way: undo what it may have made, then claim.
			if err := prov.Revoke(ctx, srv, k); err != nil {
				return vpn.AccessKey{}, fromProvisioner(err)
			}
			if err := s.store.DropClaim(ctx, k.ID); err != nil {
				return vpn.AccessKey{}, err
			}
			continue
		case err == nil:
			if waited >= s.keyWait {
				return vpn.AccessKey{}, vpn.KeyPending()
			}
			if err := sleep(ctx, pause); err != nil {
				return vpn.AccessKey{}, err
			}
			waited += pause
			pause = min(2*pause, pollMax)
			continue
		case !fault.Is(err, fault.NotFound):
			return vpn.AccessKey{}, err
		}
		k, err = s.claim(ctx, sub.UserID, dev, srv)
		if fault.ReasonOf(err) == vpn.ReasonKeyClaimed {
			continue // another request won the slot: wait for its key
		}
		if err != nil {
			return vpn.AccessKey{}, err
		}
		return s.make(ctx, sub, srv, prov, k)
	}
}

// claim claims the slot with a fresh key.
func (s *Service) claim(ctx context.Context, userID string, dev vpn.Device, srv vpn.Server) (vpn.AccessKey, error) {
	id, err := s.newToken()
	if err != nil {
		return vpn.AccessKey{}, err
	}
	dyn, err := s.newToken()
	if err != nil {
		return vpn.AccessKey{}, err
	}
	k := vpn.NewClaim(id, userID, dev, srv, dyn, s.clock.Now())
	return k, s.store.ClaimKey(ctx, k)
}

// make has the provisioner make claimed key k and records its material.
// On any failure the key is undone at the provisioner and its claim dropped.
func (s *Service) make(ctx context.Context, sub vpn.Subscription, srv vpn.Server, prov ports.Provisioner, k vpn.AccessKey) (vpn.AccessKey, error) {
	m, err := prov.Create(ctx, srv, k, sub.TrafficLimitBytes)
	if err != nil {
		// A failed Create leaves nothing at the server: only the claim goes.
		if derr := s.store.DropClaim(context.WithoutCancel(ctx), k.ID); derr != nil {
			s.log.Error("vpn: claim left after a failed issue", "key", k.ID, "err", derr)
		}
		return vpn.AccessKey{}, fromProvisioner(err)
	}
	m.DynamicToken = k.Material.DynamicToken
	issued, err := s.store.IssueKey(ctx, k.ID, m, s.clock.Now())
	if err != nil {
		k.Material = m
		s.undo(ctx, srv, prov, k)
		return vpn.AccessKey{}, err
	}
	return issued, nil
}

// undo removes a key that could not be made whole: at the provisioner,
// then its claim. It runs to the end even when the request was cancelled.
// Whatever it cannot undo stays claimed and is undone later as abandoned.
func (s *Service) undo(ctx context.Context, srv vpn.Server, prov ports.Provisioner, k vpn.AccessKey) {
	ctx = context.WithoutCancel(ctx)
	if err := prov.Revoke(ctx, srv, k); err != nil {
		s.log.Error("vpn: key left at its server after a failed issue", "key", k.ID, "server", srv.ID, "err", err)
		return
	}
	if err := s.store.DropClaim(ctx, k.ID); err != nil {
		s.log.Error("vpn: claim left after a failed issue", "key", k.ID, "err", err)
	}
}

// revoke removes key k at its provisioner, then marks it revoked, so a
// failure at the provisioner leaves the key live for the next attempt.
func (s *Service) revoke(ctx context.Context, k vpn.AccessKey) error {
	srv, err := s.store.Server(ctx, k.ServerID)
	if err != nil {
		return err
	}
	prov, err := s.provisioner(srv)
	if err != nil {
		return err
	}
	if err := prov.Revoke(ctx, srv, k); err != nil {
		return fromProvisioner(err)
	}
	return s.store.RevokeKey(ctx, k.ID, s.clock.Now())
}

// sleep pauses for d or until ctx ends (then its error).
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
