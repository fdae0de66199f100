package mongostore

import (
	"context"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// RotateRefresh implements ports.SessionStore without a multi-document
// transaction (FerretDB has none): the consume decides the winner, then the
// successor is inserted, then the device touched under its lock. A failure
// after the consume leaves the token consumed without a successor, which
// the port allows.
func (s *SessionStore) RotateRefresh(ctx context.Context, hash string, at time.Time, next sessions.RefreshToken, seen ports.DeviceSeen) error {
	if err := s.ConsumeRefresh(ctx, hash, at); err != nil {
		return err
	}
	if err := s.AddRefresh(ctx, next); err != nil {
		return err
	}
	if seen.ID == "" {
		return nil
	}
	unlock := s.c.locks.docs.lock(colDevices + "/" + seen.ID)
	defer unlock()
	d, err := s.Device(ctx, seen.ID)
	if fault.Is(err, fault.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.replaceDevice(ctx, d.Seen(seen.Name, seen.UserAgent, seen.IP, seen.At))
}
