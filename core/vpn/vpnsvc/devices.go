package vpnsvc

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gatehouse/core/fault"
	"gatehouse/core/vpn"
)

// RegisterDevice implements ports.VPN.
func (s *Service) RegisterDevice(ctx context.Context, userID, clientID, name string) (vpn.Device, error) {
	d, err := vpn.NewDevice(userID, clientID, name, s.clock.Now())
	if err != nil {
		return vpn.Device{}, err
	}
	limit := s.deviceLimit
	sub, err := s.store.Subscription(ctx, userID)
	switch {
	case err == nil:
		limit = sub.DeviceLimit
	case !fault.Is(err, fault.NotFound):
		return vpn.Device{}, err
	}
	return s.store.AddDevice(ctx, d, limit)
}

// Devices implements ports.VPN.
func (s *Service) Devices(ctx context.Context, userID string) ([]vpn.Device, error) {
	return s.store.Devices(ctx, userID)
}

// RemoveDevice implements ports.VPN.
func (s *Service) RemoveDevice(ctx context.Context, userID string, deviceID int64) error {
	if _, err := s.store.Device(ctx, userID, deviceID); err != nil {
		return err
	}
	keys, err := s.store.UserKeys(ctx, userID)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if k.DeviceID != deviceID {
			continue
		}
		if err := s.revoke(ctx, k); err != nil {
			return err
		}
	}
	if err := s.store.RemoveDevice(ctx, userID, deviceID); err != nil {
		return err
	}
	return s.signOut(ctx, userID, deviceID)
}

// signOut ends the app sessions signed in on a removed device. A device
// that never signed in has no session device: nothing to end.
func (s *Service) signOut(ctx context.Context, userID string, deviceID int64) error {
	if s.sessions == nil {
		return nil
	}
	err := s.sessions.EndDevice(ctx, userID, vpn.SessionDeviceID(deviceID))
	if err != nil && !fault.Is(err, fault.NotFound) {
		return fmt.Errorf("vpnsvc: sign out the removed device: %w", err)
	}
	return nil
}

// device resolves a deviceRef (the server's ID in decimal, else the
// client's own id) to one of the user's devices. fault.NotFound
// vpn.device_not_found.
func (s *Service) device(ctx context.Context, userID, ref string) (vpn.Device, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return vpn.Device{}, vpn.DeviceNotFound()
	}
	if n, err := strconv.ParseInt(ref, 10, 64); err == nil && n > 0 {
		d, err := s.store.Device(ctx, userID, n)
		if !fault.Is(err, fault.NotFound) {
			return d, err
		}
	}
	return s.store.DeviceByClientID(ctx, userID, ref)
}
