package identitysvc

import (
	"context"
	"fmt"
)

// later runs task through Deps.Background, or at once without one. Flows
// that must not tell by their timing whether an account exists hand it
// everything that depends on that, after only work that is the same for
// every caller: then the request costs the same whatever task finds. Tasks
// log their own failures; the caller's answer never depends on them. A
// queue that cannot take the task is fault.Unavailable, for everyone alike.
func (s *Service) later(ctx context.Context, what string, task func(context.Context)) error {
	if s.background == nil {
		task(ctx)
		return nil
	}
	if err := s.background.Defer(ctx, task); err != nil {
		return fmt.Errorf("identitysvc: %s: %w", what, err)
	}
	return nil
}
