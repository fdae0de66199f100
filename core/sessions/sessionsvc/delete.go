package sessionsvc

import (
	"context"
	"fmt"

	"gatehouse/ports"
)

var _ ports.UserDeletionHook = (*Service)(nil)

// reasonDeleted is recorded on the families of a deleted account.
const reasonDeleted = "deleted"

// UserDeleted implements ports.UserDeletionHook: it ends the user's
// sessions on every replica first, so no cached session outlives its
// records, then removes the user's families, tokens and devices.
func (s *Service) UserDeleted(ctx context.Context, userID string) error {
	if err := s.EndUserSessions(ctx, userID, reasonDeleted); err != nil {
		return err
	}
	if err := s.store.DeleteUser(ctx, userID); err != nil {
		return fmt.Errorf("sessionsvc: delete user sessions: %w", err)
	}
	return nil
}
