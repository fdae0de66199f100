package sessionsvc

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// How opaque sessions use the shared cache:
//
//   - sessions:opaque:<hash> holds the session's Family as JSON, as the
//     store last had it, for as long as the session may live unused
//     (sessions.OpaqueEnd). A check is two cache reads (this entry and the
//     deny-list key) and no store call.
//   - A use is written back to the store (TouchFamily) only when the
//     recorded one is OpaqueTouchEvery old, by the one caller that wins
//     sessions:opaque-touch:<hash>, which then rewrites the entry with a
//     fresh lifetime. The store therefore always knows the last use to
//     within that interval, and the idle expiry holds when the cache is
//     flushed.
//   - Revocation writes the store, then the deny-list key, then deletes the
//     entry. Every write of an entry is followed by a read of the deny-list
//     key, so an entry rewritten from a stale read by a racing check is
//     caught by that check, and every later check reads the key too.

// opaqueKey is the cache key of an opaque session's record.
func opaqueKey(hash string) string { return "sessions:opaque:" + hash }

// opaqueTouchKey is claimed by the one check that writes a session's use back.
func opaqueTouchKey(hash string) string { return "sessions:opaque-touch:" + hash }

var errOpaqueUnknown = errors.New("opaque token unknown")

// StartOpaque implements ports.Sessions.
func (s *Service) StartOpaque(ctx context.Context, userID string, d ports.DeviceInfo) (ports.OpaqueToken, error) {
	if userID == "" {
		return ports.OpaqueToken{}, fault.Invalidf("user_id", "required", "A user is required.")
	}
	now := s.clock.Now()
	dev, err := s.signInDevice(ctx, userID, d, now)
	if err != nil {
		return ports.OpaqueToken{}, err
	}
	id, err := s.newID()
	if err != nil {
		return ports.OpaqueToken{}, err
	}
	token, hash, err := s.newRefresh()
	if err != nil {
		return ports.OpaqueToken{}, err
	}
	f := sessions.NewOpaqueFamily(s.policy, id, userID, dev.ID, hash, now)
	if err := s.store.CreateFamily(ctx, f); err != nil {
		return ports.OpaqueToken{}, fmt.Errorf("sessionsvc: create opaque session: %w", err)
	}
	if err := s.store.AddRefresh(ctx, sessions.OpaqueRecord(f)); err != nil {
		return ports.OpaqueToken{}, fmt.Errorf("sessionsvc: add opaque token: %w", err)
	}
	// Warm the cache so the client's first request is a hit; the session
	// cannot have been revoked yet unless its user's sessions were ended
	// meanwhile, which admit catches.
	if err := s.putOpaque(ctx, f, now); err != nil {
		return ports.OpaqueToken{}, err
	}
	if err := s.admit(ctx, f, now); err != nil {
		return ports.OpaqueToken{}, err
	}
	return ports.OpaqueToken{Token: token, SessionID: f.ID, DeviceID: f.DeviceID,
		ExpiresAt: sessions.OpaqueEnd(s.policy, f)}, nil
}

// VerifyOpaque implements ports.Sessions.
func (s *Service) VerifyOpaque(ctx context.Context, token string) (sessions.Claims, error) {
	if !sessions.WellFormedOpaque(token) {
		return sessions.Claims{}, sessions.TokenInvalid(errOpaqueUnknown)
	}
	hash := sessions.HashRefresh(token)
	now := s.clock.Now()
	f, hit, err := s.cachedOpaque(ctx, hash)
	if err != nil {
		return sessions.Claims{}, err
	}
	if !hit {
		if f, err = s.storedOpaque(ctx, hash); err != nil {
			return sessions.Claims{}, err
		}
		if err := s.putOpaque(ctx, f, now); err != nil {
			return sessions.Claims{}, err
		}
	}
	if err := s.admit(ctx, f, now); err != nil {
		return sessions.Claims{}, err
	}
	if sessions.OpaqueTouchDue(s.policy, f, now) {
		if f, err = s.touchOpaque(ctx, f, now); err != nil {
			return sessions.Claims{}, err
		}
	}
	return sessions.OpaqueClaims(s.policy, f), nil
}

// admit applies the core decision to f, then the deny-list, which catches
// a revocation that raced with the read f came from. A denied session's
// entry is dropped, so the next check reads the store's verdict.
func (s *Service) admit(ctx context.Context, f sessions.Family, now time.Time) error {
	if err := sessions.CheckOpaque(s.policy, f, now); err != nil {
		return err
	}
	revoked, err := s.denied(ctx, f.ID)
	if err != nil {
		return err
	}
	if revoked {
		if err := s.cache.Delete(ctx, opaqueKey(f.TokenHash)); err != nil {
			return cacheUnavailable(err)
		}
		return sessions.TokenRevoked()
	}
	return nil
}

// cachedOpaque reads a session's record from the cache. An entry that does
// not decode is treated as absent, so the store's record replaces it.
func (s *Service) cachedOpaque(ctx context.Context, hash string) (sessions.Family, bool, error) {
	b, ok, err := s.cache.Get(ctx, opaqueKey(hash))
	if err != nil {
		return sessions.Family{}, false, cacheUnavailable(err)
	}
	if !ok {
		return sessions.Family{}, false, nil
	}
	f, err := decodeOpaque(b)
	if err != nil || f.TokenHash != hash {
		s.log.WarnContext(ctx, "undecodable opaque session cache entry", "err", err)
		return sessions.Family{}, false, nil
	}
	return f, true, nil
}

// storedOpaque reads a session's record from the store by token hash.
// fault.Unauthenticated sessions.token_invalid when the hash names no
// opaque session (a refresh token is not one).
func (s *Service) storedOpaque(ctx context.Context, hash string) (sessions.Family, error) {
	t, err := s.store.Refresh(ctx, hash)
	if err != nil {
		if fault.Is(err, fault.NotFound) {
			return sessions.Family{}, sessions.TokenInvalid(errOpaqueUnknown)
		}
		return sessions.Family{}, fmt.Errorf("sessionsvc: load opaque token: %w", err)
	}
	f, err := s.store.Family(ctx, t.FamilyID)
	if err != nil {
		if fault.Is(err, fault.NotFound) {
			return sessions.Family{}, sessions.TokenInvalid(errOpaqueUnknown)
		}
		return sessions.Family{}, fmt.Errorf("sessionsvc: load opaque session: %w", err)
	}
	if f.Kind != sessions.KindOpaque || f.TokenHash != hash {
		return sessions.Family{}, sessions.TokenInvalid(errOpaqueUnknown)
	}
	return f, nil
}

// putOpaque caches f until it would end unused. A revoked record is cached
// too, so replaying its token costs the store nothing; an ended one is not.
func (s *Service) putOpaque(ctx context.Context, f sessions.Family, now time.Time) error {
	ttl := sessions.OpaqueEnd(s.policy, f).Sub(now)
	if ttl <= 0 {
		return nil
	}
	b, err := encodeOpaque(f)
	if err != nil {
		return fmt.Errorf("sessionsvc: encode opaque session: %w", err)
	}
	if err := s.cache.Set(ctx, opaqueKey(f.TokenHash), b, ttl); err != nil {
		return cacheUnavailable(err)
	}
	return nil
}

// touchOpaque writes a use of f at now back to the store, when this caller
// wins the interval's claim, and recaches the store's answer with a fresh
// lifetime. The check has already passed, so a store failure is logged and
// f served as is; a session the store no longer has is refused.
func (s *Service) touchOpaque(ctx context.Context, f sessions.Family, now time.Time) (sessions.Family, error) {
	won, err := s.cache.SetNX(ctx, opaqueTouchKey(f.TokenHash), []byte{1}, s.policy.OpaqueTouchEvery)
	if err != nil {
		return sessions.Family{}, cacheUnavailable(err)
	}
	if !won {
		return f, nil
	}
	fresh, err := s.store.TouchFamily(ctx, f.ID, now)
	switch {
	case fault.Is(err, fault.NotFound):
		if err := s.cache.Delete(ctx, opaqueKey(f.TokenHash)); err != nil {
			return sessions.Family{}, cacheUnavailable(err)
		}
		return sessions.Family{}, sessions.TokenInvalid(errOpaqueUnknown)
	case err != nil:
		s.log.WarnContext(ctx, "opaque session use write-back failed", "session", f.ID, "err", err)
		return f, nil
	}
	s.touchDevice(ctx, fresh, ports.DeviceInfo{}, now)
	if err := s.putOpaque(ctx, fresh, now); err != nil {
		return sessions.Family{}, err
	}
	// The store's answer may carry a revocation this replica's entry missed.
	if err := s.admit(ctx, fresh, now); err != nil {
		return sessions.Family{}, err
	}
	return fresh, nil
}

// touchDevice records that the family's device was seen. The check has
// already succeeded, so a failure here is logged, not returned.
func (s *Service) touchDevice(ctx context.Context, f sessions.Family, d ports.DeviceInfo, now time.Time) {
	if f.DeviceID == "" {
		return
	}
	dev, err := s.store.Device(ctx, f.DeviceID)
	if err == nil {
		err = s.store.SaveDevice(ctx, dev.Seen(d.Name, d.UserAgent, d.IP, now))
	}
	if err != nil && !fault.Is(err, fault.NotFound) {
		s.log.WarnContext(ctx, "device last-seen update failed", "device", f.DeviceID, "err", err)
	}
}

// cacheUnavailable classifies a failed cache call. Checks fail closed:
// without the cache a revoked session could pass.
func cacheUnavailable(err error) error {
	return fault.Wrap(err, fault.Unavailable, "sessions.cache_unavailable", "Service temporarily unavailable.")
}
