package app

import (
	"context"
	"io"
	"log/slog"
	"time"

	"go.uber.org/fx"

	"gatehouse/adapters/jwtsign"
	"gatehouse/adapters/passhash"
	"gatehouse/config"
	"gatehouse/core/identity"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/core/sessions"
	"gatehouse/core/sessions/sessionsvc"
	"gatehouse/ports"
)

// tokensModule provides the access-token signer and keeps its keys fresh:
// every replica reloads the key set on an interval, and the one that finds
// the current key older than tokens.rotate_every rotates it.
var tokensModule = fx.Module("jwtsign",
	fx.Provide(
		newSigner,
		func(s *jwtsign.Signer) ports.TokenSigner { return s },
	),
)

// keyReloadEvery is how often a replica re-reads the signing keys, so a key
// rotated elsewhere signs here within that time.
const keyReloadEvery = time.Minute

func newSigner(lc fx.Lifecycle, cfg config.Config, keys ports.KeyStore, clock ports.Clock, log *slog.Logger) (*jwtsign.Signer, error) {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	s, err := jwtsign.New(ctx, jwtsign.Options{
		Algorithm:       cfg.Tokens.Algorithm,
		Issuer:          cfg.Tokens.Issuer,
		AccessTTL:       cfg.Tokens.AccessTTL,
		PrivateKeyFiles: cfg.Tokens.KeyFiles,
		RotateEvery:     cfg.Tokens.RotateEvery,
	}, keys, clock)
	if err != nil {
		return nil, err
	}
	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	lc.Append(fx.Hook{
		OnStart: func(context.Context) error {
			go func() {
				defer close(done)
				t := time.NewTicker(keyReloadEvery)
				defer t.Stop()
				for {
					select {
					case <-runCtx.Done():
						return
					case <-t.C:
						if err := s.Reload(runCtx); err != nil {
							log.Warn("signing keys: reload failed", "err", err)
						}
					}
				}
			}()
			return nil
		},
		OnStop: func(ctx context.Context) error {
			stop()
			select {
			case <-done:
			case <-ctx.Done():
			}
			return nil
		},
	})
	return s, nil
}

// identityModule provides the password hasher and the account use cases.
var identityModule = fx.Module("identity",
	fx.Provide(
		newHasher,
		newAccounts,
	),
)

func newHasher(cfg config.Config) (ports.PasswordHasher, error) {
	return passhash.New(passhash.Options{
		Memory:      cfg.Password.MemoryKiB,
		Time:        cfg.Password.Iterations,
		Threads:     cfg.Password.Parallelism,
		Concurrency: cfg.Password.Concurrency,
	})
}

func newAccounts(users ports.UserStore, hasher ports.PasswordHasher, clock ports.Clock, random io.Reader, log *slog.Logger) (ports.Accounts, error) {
	return identitysvc.New(identitysvc.Deps{
		Users:  users,
		Hasher: hasher,
		Clock:  clock,
		Random: random,
		Policy: identity.DefaultPasswordPolicy(),
		Log:    log,
	})
}

// sessionsModule provides the session use cases.
var sessionsModule = fx.Module("sessions",
	fx.Provide(newSessions),
)

func newSessions(cfg config.Config, store ports.SessionStore, signer ports.TokenSigner, cache ports.Cache, clock ports.Clock, random io.Reader, log *slog.Logger) (ports.Sessions, error) {
	return sessionsvc.New(sessionsvc.Deps{
		Store:  store,
		Signer: signer,
		Cache:  cache,
		Clock:  clock,
		Random: random,
		Policy: sessions.Policy{
			Issuer:     cfg.Tokens.Issuer,
			Audience:   cfg.Tokens.Audience,
			AccessTTL:  cfg.Tokens.AccessTTL,
			RefreshTTL: cfg.Tokens.RefreshTTL,
		},
		Log: log,
	})
}
