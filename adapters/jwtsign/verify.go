package jwtsign

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gatehouse/core/sessions"
)

// maxTokenBytes bounds what Verify will parse; real tokens are a few hundred bytes.
const maxTokenBytes = 8 << 10

// missReloadEvery is how often at most an unknown kid makes the Signer
// re-read its keys, so a flood of junk kids cannot hammer storage.
const missReloadEvery = 5 * time.Second

// Verify implements ports.TokenSigner. The accepted algorithms are exactly
// those of known keys, and a token must carry the kid of a known key whose
// own algorithm matches its alg header. Every token failure is fault.Unauthenticated
// sessions.token_invalid or sessions.token_expired; parse details stay in
// the wrapped cause. Before Start it is fault.Unavailable.
func (s *Signer) Verify(ctx context.Context, token, audience string) (sessions.Claims, error) {
	if len(token) > maxTokenBytes {
		return sessions.Claims{}, sessions.TokenInvalid(errors.New("token too large"))
	}
	r, err := s.loaded()
	if err != nil {
		return sessions.Claims{}, err
	}
	t, err := r.split(token)
	if err != nil {
		return sessions.Claims{}, sessions.TokenInvalid(err)
	}
	if t.kid == "" {
		return sessions.Claims{}, sessions.TokenInvalid(errors.New("no kid"))
	}
	key, ok := r.byKID[t.kid]
	if !ok {
		if key, ok = s.afterMiss(ctx, t.kid); !ok {
			return sessions.Claims{}, sessions.TokenInvalid(fmt.Errorf("unknown kid %q", t.kid))
		}
	}
	now := s.clock.Now()
	if t.alg != key.alg {
		return sessions.Claims{}, sessions.TokenInvalid(fmt.Errorf("alg %s for a %s key", t.alg, key.alg))
	}
	if !key.usableAt(now) {
		return sessions.Claims{}, sessions.TokenInvalid(fmt.Errorf("key %s retired", t.kid))
	}
	if !key.verify([]byte(t.input), t.sig) {
		return sessions.Claims{}, sessions.TokenInvalid(errors.New("bad signature"))
	}
	var w wireClaims
	if err := json.Unmarshal(t.payload, &w); err != nil {
		return sessions.Claims{}, sessions.TokenInvalid(err)
	}
	c, err := fromWire(w)
	if err != nil {
		return sessions.Claims{}, sessions.TokenInvalid(err)
	}
	if !notBeforeOK(w, now) {
		return sessions.Claims{}, sessions.TokenInvalid(errors.New("nbf in the future"))
	}
	if err := sessions.CheckClaims(c, s.opts.Issuer, audience, now); err != nil {
		return sessions.Claims{}, err
	}
	return c, nil
}

// afterMiss re-reads the keys for a kid this replica does not know (another
// replica may have rotated), at most once per missReloadEvery across all
// callers; a caller that loses the race just looks again.
func (s *Signer) afterMiss(ctx context.Context, kid string) (verifyKey, bool) {
	now := s.clock.Now().UnixNano()
	last := s.lastMiss.Load()
	if now-last >= int64(missReloadEvery) && s.lastMiss.CompareAndSwap(last, now) {
		// A failed reload keeps the current keys; the token is refused either way.
		_ = s.load(ctx)
	}
	key, ok := s.ring.Load().byKID[kid]
	return key, ok
}
