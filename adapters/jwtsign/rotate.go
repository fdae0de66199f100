package jwtsign

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
)

// retireGrace is added to AccessTTL (and the claim leeway) before a retired
// key leaves the key set: replicas that have not reloaded yet may still be
// signing with it, so it must outlive their reload interval. Replicas should
// call Reload at least this often.
const retireGrace = 5 * time.Minute

// claimAttempts bounds how often Start or Reload retries after losing a
// generation race to another replica; each loss means someone else added a key.
const claimAttempts = 5

// Reload re-reads the keys (store or files) and, when RotateEvery is set and
// the signing key is that old, rotates it. The app calls it on an interval.
func (s *Signer) Reload(ctx context.Context) error {
	if err := s.load(ctx); err != nil {
		return err
	}
	if s.opts.RotateEvery == 0 || len(s.opts.PrivateKeyFiles) > 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	stored, err := s.keys.Keys(ctx)
	if err != nil {
		return fmt.Errorf("jwtsign: load keys: %w", err)
	}
	cur := current(stored, s.opts.Algorithm)
	if cur != nil && s.clock.Now().Sub(cur.CreatedAt) < s.opts.RotateEvery {
		return nil
	}
	return s.rotateLocked(ctx, stored)
}

// Rotate adds the next generation and retires the keys it replaces, which keep
// verifying until AccessTTL (plus leeway and retireGrace) has passed. When
// another replica claims that generation first, Rotate adopts its key.
func (s *Signer) Rotate(ctx context.Context) error {
	if len(s.opts.PrivateKeyFiles) > 0 {
		return errors.New("jwtsign: keys come from files: rotate by replacing the files and reloading")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	stored, err := s.keys.Keys(ctx)
	if err != nil {
		return fmt.Errorf("jwtsign: load keys: %w", err)
	}
	return s.rotateLocked(ctx, stored)
}

func (s *Signer) rotateLocked(ctx context.Context, stored []sessions.SigningKey) error {
	added, err := s.addGeneration(ctx, stored)
	if err != nil && !fault.Is(err, fault.Conflict) {
		return err
	}
	if err == nil {
		now := s.clock.Now()
		notAfter := now.Add(s.opts.AccessTTL + sessions.Leeway + retireGrace)
		for _, k := range stored {
			if k.Algorithm == s.opts.Algorithm && !k.Retired() && k.Generation < added.Generation {
				if err := s.keys.RetireKey(ctx, k.ID, now, notAfter); err != nil && !fault.Is(err, fault.NotFound) {
					return fmt.Errorf("jwtsign: retire key %s: %w", k.ID, err)
				}
			}
		}
	}
	return s.loadStore(ctx)
}

// loadStore builds the keyring from the store, generating a first key when
// none may sign. Callers hold s.mu.
func (s *Signer) loadStore(ctx context.Context) error {
	for range claimAttempts {
		stored, err := s.keys.Keys(ctx)
		if err != nil {
			return fmt.Errorf("jwtsign: load keys: %w", err)
		}
		r, err := buildRing(stored, s.opts.Algorithm, s.clock.Now())
		if err == nil {
			s.ring.Store(r)
			return nil
		}
		if !errors.Is(err, errNoSigningKey) {
			return err
		}
		// A Conflict means another replica claimed the generation: load again.
		if _, err := s.addGeneration(ctx, stored); err != nil && !fault.Is(err, fault.Conflict) {
			return err
		}
	}
	return fmt.Errorf("jwtsign: no signing key after %d attempts", claimAttempts)
}

// addGeneration generates a key and stores it as the generation above every
// stored one. fault.Conflict when another replica got there first.
func (s *Signer) addGeneration(ctx context.Context, stored []sessions.SigningKey) (sessions.SigningKey, error) {
	var top int64
	for _, k := range stored {
		top = max(top, k.Generation)
	}
	priv, err := generate(s.opts.Algorithm, s.opts.RSABits)
	if err != nil {
		return sessions.SigningKey{}, fmt.Errorf("jwtsign: generate key: %w", err)
	}
	privPEM, pubPEM, err := encodePEM(priv)
	if err != nil {
		return sessions.SigningKey{}, err
	}
	kid, err := keyID(priv.Public())
	if err != nil {
		return sessions.SigningKey{}, err
	}
	k := sessions.SigningKey{
		ID:         kid,
		Algorithm:  s.opts.Algorithm,
		Generation: top + 1,
		PrivatePEM: privPEM,
		PublicPEM:  pubPEM,
		CreatedAt:  s.clock.Now(),
	}
	if err := s.keys.AddKey(ctx, k); err != nil {
		return sessions.SigningKey{}, fmt.Errorf("jwtsign: add key generation %d: %w", k.Generation, err)
	}
	return k, nil
}

// current is the stored key that signs for alg: the highest unretired
// generation of that algorithm, or nil.
func current(stored []sessions.SigningKey, alg string) *sessions.SigningKey {
	var cur *sessions.SigningKey
	for i := range stored {
		k := &stored[i]
		if !k.Retired() && k.Algorithm == alg && (cur == nil || k.Generation > cur.Generation) {
			cur = k
		}
	}
	return cur
}
