package identitysvc

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
)

// modifyAttempts bounds how often modify reads, changes and writes a user
// whose Update was refused as stale.
const modifyAttempts = 8

// Backoff before modify's next attempt: a random pause below
// modifyBackoffBase << attempt, at most modifyBackoffMax.
const (
	modifyBackoffBase = 500 * time.Microsecond
	modifyBackoffMax  = 20 * time.Millisecond
)

// modify reads the user, applies change and stores the result with
// UpdatedAt set, carrying the Version it read: the store refuses the write
// when the user changed meanwhile (fault.Conflict identity.stale_user), and
// modify then starts over from a fresh read, up to modifyAttempts times, so
// that no concurrent change is lost. change must therefore depend only on
// the user it is given (values it needs from outside are computed once,
// before modify). It returns the user as stored. Errors of change are
// returned as they are; store errors, the last stale_user included, are
// wrapped with what.
func (s *Service) modify(ctx context.Context, what, userID string, change func(identity.User) (identity.User, error)) (identity.User, error) {
	for attempt := 1; ; attempt++ {
		cur, err := s.users.ByID(ctx, userID)
		if err != nil {
			return identity.User{}, fmt.Errorf("identitysvc: %s: %w", what, err)
		}
		next, err := change(cur)
		if err != nil {
			return identity.User{}, err
		}
		next.Version = cur.Version
		next.UpdatedAt = s.clock.Now()
		err = s.users.Update(ctx, next)
		if err == nil {
			next.Version++ // what the store keeps, per ports.UserStore.Update
			return next, nil
		}
		if fault.ReasonOf(err) != staleUser || attempt == modifyAttempts {
			return identity.User{}, fmt.Errorf("identitysvc: %s: %w", what, err)
		}
		if err := pause(ctx, attempt); err != nil {
			return identity.User{}, fmt.Errorf("identitysvc: %s: %w", what, err)
		}
	}
}

// staleUser is the reason of ports.UserStore.Update's refusal of a user
// changed since it was read.
const staleUser = "identity.stale_user"

// pause waits before attempt+1: writers that lost to one winner would
// otherwise read and write again in step and lose again. The pause is
// jittered, so it draws from math/rand rather than the injected source,
// whose values tests may count on; it decides no outcome, only an order.
func pause(ctx context.Context, attempt int) error {
	limit := min(modifyBackoffBase<<attempt, modifyBackoffMax)
	t := time.NewTimer(rand.N(limit))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
