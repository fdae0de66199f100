package app

import (
	"io"
	"log/slog"
	"time"

	"go.uber.org/fx"

	"gatehouse/adapters/httpapi/authv1"
	"gatehouse/adapters/jwtsign"
	"gatehouse/adapters/linkcache"
	"gatehouse/adapters/linkcount"
	"gatehouse/adapters/passhash"
	"gatehouse/config"
	"gatehouse/core/identity"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/core/links"
	"gatehouse/core/links/linksvc"
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
		fx.Annotate(func(s *jwtsign.Signer) periodic {
			return periodic{name: "signing keys reload", every: keyReloadEvery, run: s.Reload}
		}, fx.ResultTags(`group:"periodic"`)),
	),
)

// keyReloadEvery is how often a replica re-reads the signing keys, so a key
// rotated elsewhere signs here within that time (jwtsign keeps a retired key
// verifying for five minutes beyond the access-token lifetime).
const keyReloadEvery = time.Minute

// newSigner makes the signer; its keys load (or are generated) when the
// app starts, after storage, and before anything that signs.
func newSigner(lc fx.Lifecycle, cfg config.Config, keys ports.KeyStore, clock ports.Clock, log *slog.Logger) (*jwtsign.Signer, error) {
	s, err := jwtsign.New(jwtsign.Options{
		Algorithm:       cfg.Tokens.Algorithm,
		RSABits:         cfg.Tokens.RSABits,
		Issuer:          cfg.Tokens.Issuer,
		AccessTTL:       cfg.Tokens.AccessTTL,
		PrivateKeyFiles: cfg.Tokens.KeyFiles,
		RotateEvery:     cfg.Tokens.RotateEvery,
	}, keys, clock)
	if err != nil {
		return nil, err
	}
	lc.Append(fx.Hook{OnStart: s.Start})
	return s, nil
}

// identityModule provides the password hasher and the identity use cases
// behind every identity port.
var identityModule = fx.Module("identity",
	fx.Provide(
		newHasher,
		newIdentity,
		func(s *identitysvc.Service) ports.Accounts { return s },
		func(s *identitysvc.Service) ports.Profiles { return s },
		func(s *identitysvc.Service) ports.Recovery { return s },
		func(s *identitysvc.Service) ports.Admin { return s },
	),
)

func newHasher(cfg config.Config) (ports.PasswordHasher, error) {
	return passhash.New(passhash.Options{
		Memory:      cfg.Password.MemoryKiB,
		Time:        cfg.Password.Iterations,
		Threads:     cfg.Password.Parallelism,
		Concurrency: cfg.Password.Concurrency,
		Queue:       cfg.Password.Queue,
		QueueWait:   cfg.Password.QueueWait,
	})
}

// identityDeps are what the identity use cases are made of.
type identityDeps struct {
	fx.In

	Config     config.Config
	Users      ports.UserStore
	Challenges ports.ChallengeStore
	Hasher     ports.PasswordHasher
	Notifier   channel
	Cache      ports.Cache
	Revoker    ports.SessionRevoker
	Clock      ports.Clock
	Random     io.Reader
	Log        *slog.Logger
	// Hooks are what every context does when a user is deleted.
	Hooks []ports.UserDeletionHook `group:"deletion-hooks"`
}

// mailLinks makes emailed links from the public URL and the route of the
// frontend that opens each purpose; a purpose no enabled frontend serves
// gets no link, and its flows answer that they are not served.
func mailLinks(cfg config.Config) ports.LinkRoutes {
	paths := map[identity.Purpose]string{}
	if f := cfg.Frontends.AuthV1; f.Enabled {
		paths[identity.PurposeEmailConfirm] = f.Prefix + authv1.ConfirmPath
		paths[identity.PurposePasswordReset] = f.Prefix + authv1.ConfirmPath
	}
	return ports.LinkRoutes{Base: cfg.BaseURL(), Paths: paths}
}

func newIdentity(d identityDeps) (*identitysvc.Service, error) {
	return identitysvc.New(identitysvc.Deps{
		Users:      d.Users,
		Hasher:     d.Hasher,
		Clock:      d.Clock,
		Random:     d.Random,
		Challenges: d.Challenges,
		Notifier:   d.Notifier.Notifier,
		Background: d.Notifier.Background,
		Cache:      d.Cache,
		Sessions:   d.Revoker,
		Hooks:      d.Hooks,
		Links:      mailLinks(d.Config),
		Log:        d.Log,
	})
}

// sessionsModule provides the session use cases.
var sessionsModule = fx.Module("sessions",
	fx.Provide(
		newSessions,
		func(s *sessionsvc.Service) ports.Sessions { return s },
		func(s *sessionsvc.Service) ports.SessionRevoker { return s },
		fx.Annotate(func(s *sessionsvc.Service) ports.UserDeletionHook { return s }, fx.ResultTags(`group:"deletion-hooks"`)),
	),
)

func newSessions(cfg config.Config, store ports.SessionStore, signer ports.TokenSigner, cache ports.Cache, clock ports.Clock, random io.Reader, log *slog.Logger) (*sessionsvc.Service, error) {
	s, err := sessionsvc.New(sessionsvc.Deps{
		Store:  store,
		Signer: signer,
		Cache:  cache,
		Clock:  clock,
		Random: random,
		Policy: sessions.Policy{
			Issuer:        cfg.Tokens.Issuer,
			Audience:      cfg.Tokens.Audience,
			AccessTTL:     cfg.Tokens.AccessTTL,
			RefreshTTL:    cfg.Tokens.RefreshTTL,
			OpaqueIdleTTL: cfg.Sessions.OpaqueIdleTTL,
			OpaqueMaxTTL:  cfg.Sessions.OpaqueMaxTTL,
		},
		Log: log,
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// revocationFeed is what a serving process runs to follow revocations in
// storage, the source of truth: whatever the cache, a cache restarted
// empty, a new cache, or another process on the same store (`gatehouse
// user block`) never lets a revoked token pass. The first sync completes
// before the server listens.
func revocationFeed(s *sessionsvc.Service) periodic {
	return periodic{name: "revocation feed", every: sessionsvc.DefaultRevocationPoll, run: s.SyncRevocations, first: true}
}

// linksModule provides the link use cases over their link cache and
// redirect counter. A serving process keeps copies of links while its
// cache is subscribed to invalidations (fx hooks); the counter is flushed
// by the periodic group and closed at stop, which flushes every count
// before storage closes and counts whatever is served later straight into
// storage.
func linksModule(m mode) fx.Option {
	return fx.Module("links",
		fx.Provide(
			linkCacheFor(m),
			newRedirectCounter,
			newLinks,
			func(s *linksvc.Service) ports.Links { return s },
			fx.Annotate(func(cfg config.Config, c ports.RedirectCounter) periodic {
				return periodic{name: "redirect counts flush", every: cfg.Links.FlushEvery, run: c.Flush}
			}, fx.ResultTags(`group:"periodic"`)),
			fx.Annotate(func(s *linksvc.Service) ports.UserDeletionHook { return s }, fx.ResultTags(`group:"deletion-hooks"`)),
		),
	)
}

// linkCacheFor chooses the link cache's constructor by mode, before the
// graph is built: a serving process keeps copies while subscribed to
// invalidations; a command reads through and only publishes its changes.
func linkCacheFor(m mode) any {
	if m == serveMode {
		return newServingLinkCache
	}
	return newLinkCache
}

func newLinkCache(cfg config.Config, cache ports.Cache, bus ports.Broadcaster, clock ports.Clock, log *slog.Logger) (ports.LinkCache, error) {
	shared := cache
	if cfg.Redis.URL == "" {
		shared = nil // the "shared" cache is this process's memory: no second copy
	}
	return linkcache.New(shared, bus, clock, linkcache.Options{Size: cfg.Links.CacheSize, Log: log})
}

// newServingLinkCache is newLinkCache subscribed while the app runs.
func newServingLinkCache(lc fx.Lifecycle, cfg config.Config, cache ports.Cache, bus ports.Broadcaster, clock ports.Clock, log *slog.Logger) (ports.LinkCache, error) {
	c, err := newLinkCache(cfg, cache, bus, clock, log)
	if err != nil {
		return nil, err
	}
	lc.Append(fx.StartStopHook(c.Start, c.Stop))
	return c, nil
}

func newRedirectCounter(lc fx.Lifecycle, store ports.LinkStore, log *slog.Logger) (ports.RedirectCounter, error) {
	c, err := linkcount.New(store, linkcount.Options{Log: log})
	if err != nil {
		return nil, err
	}
	lc.Append(fx.StopHook(c.Close))
	return c, nil
}

func newLinks(cfg config.Config, store ports.LinkStore, cache ports.LinkCache, counter ports.RedirectCounter, clock ports.Clock, random io.Reader) (*linksvc.Service, error) {
	return linksvc.New(linksvc.Deps{
		Store:   store,
		Cache:   cache,
		Counter: counter,
		Clock:   clock,
		Random:  random,
		Policy: links.Policy{
			OwnHosts:      ownHosts(cfg),
			AliasLength:   cfg.Links.AliasLength,
			RefusePrivate: cfg.Links.RefusePrivateTargets,
			// A configured prefix is a route word too: no alias may shadow it.
			Reserved: links.FirstSegments(cfg.Frontends.AuthV1.Prefix, cfg.Frontends.Account.Prefix,
				cfg.Frontends.Shortener.Prefix, cfg.Links.RedirectPrefix),
		},
	})
}
