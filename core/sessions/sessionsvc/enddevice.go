package sessionsvc

import (
	"context"
	"fmt"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
)

// EndDevice implements ports.Sessions. The device must be the user's; its
// live families are revoked one by one, each as EndSession does, so their
// access tokens are refused on every replica from now on.
func (s *Service) EndDevice(ctx context.Context, userID, deviceID string) error {
	if userID == "" || deviceID == "" {
		return fault.Invalidf("device_id", "required", "A device is required.")
	}
	d, err := s.store.Device(ctx, deviceID)
	switch {
	case fault.Is(err, fault.NotFound) || (err == nil && d.UserID != userID):
		return sessions.DeviceNotFound()
	case err != nil:
		return fmt.Errorf("sessionsvc: end device: %w", err)
	}
	fs, err := s.store.Families(ctx, userID)
	if err != nil {
		return fmt.Errorf("sessionsvc: end device: list families: %w", err)
	}
	now := s.clock.Now()
	for _, f := range fs {
		if f.DeviceID != deviceID || f.Revoked() {
			continue
		}
		if err := s.revoke(ctx, f.ID, now, reasonLogout); err != nil && !fault.Is(err, fault.NotFound) {
			return err
		}
	}
	return nil
}
