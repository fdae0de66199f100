package linksvc

import (
	"context"
)

// invalidate makes every replica forget its copies of aliases: this one at
// once, the shared cache's, and the others' through the broadcaster. The
// store is already changed; a failure here is logged, not returned, since
// copies expire by themselves (localTTL, sharedTTL).
func (s *Service) invalidate(ctx context.Context, aliases ...string) {
	for _, a := range aliases {
		s.invalidateLocal(ctx, a)
		if err := s.bus.Publish(ctx, invalidateChannel, []byte(a)); err != nil {
			s.log.Warn("links: publish invalidation", "alias", a, "err", err)
		}
	}
}

// invalidateLocal drops this replica's copy of alias and the shared
// cache's. Every replica does this on each invalidation: a replica that
// read the old link just before the change may have written it to the
// shared cache after the changer deleted it, and its own invalidation then
// deletes it again (see fill).
func (s *Service) invalidateLocal(ctx context.Context, alias string) {
	s.fillMu.Lock()
	s.epoch.Add(1)
	s.local.remove(alias)
	s.fillMu.Unlock()
	if err := s.cache.Delete(ctx, aliasKey(alias)); err != nil {
		s.log.Warn("links: drop shared copy", "alias", alias, "err", err)
	}
}

// purgeLocal drops every local copy.
func (s *Service) purgeLocal() {
	s.fillMu.Lock()
	s.epoch.Add(1)
	s.local.clear()
	s.fillMu.Unlock()
}
