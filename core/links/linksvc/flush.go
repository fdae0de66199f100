package linksvc

import (
	"context"
	"errors"
	"fmt"
)

// Flush adds every local count to its link's stored count. A count the
// store refused is kept locally for the next flush, so a storage outage
// delays counts but loses none while the process lives. The app calls it
// every links.flush_every (the most counts a crash may lose) and Stop
// calls it once more.
func (s *Service) Flush(ctx context.Context) error {
	var errs []error
	for id, n := range s.counts.drain() {
		if err := s.store.AddRedirects(ctx, id, n); err != nil {
			s.counts.give(id, n)
			errs = append(errs, fmt.Errorf("linksvc: flush %d redirects of %s: %w", n, id, err))
		}
	}
	return errors.Join(errs...)
}

// countDirect counts a redirect served after Stop straight into the store:
// no flush will run again.
func (s *Service) countDirect(ctx context.Context, id string) {
	if err := s.store.AddRedirects(context.WithoutCancel(ctx), id, 1); err != nil {
		s.log.Error("links: redirect after stop not counted", "link", id, "err", err)
	}
}
