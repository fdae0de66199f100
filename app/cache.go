package app

import (
	"context"

	"go.uber.org/fx"

	"gatehouse/adapters/httpapi"
	"gatehouse/adapters/memstore"
	"gatehouse/adapters/rediscache"
	"gatehouse/config"
	"gatehouse/ports"
)

// cacheModule provides the shared cache: Redis when cfg.Redis.URL is set,
// else process memory. Either way /readyz pings it as "cache".
func cacheModule(cfg config.Config) fx.Option {
	check := fx.Provide(fx.Annotate(cacheCheck, fx.ResultTags(`group:"ready"`)))
	if cfg.Redis.URL == "" {
		return fx.Module("memcache",
			fx.Provide(
				fx.Annotate(newMemCache, fx.As(new(ports.Cache))),
				fx.Annotate(memstore.NewBroadcaster, fx.As(new(ports.Broadcaster))),
			),
			check,
		)
	}
	return fx.Module("rediscache",
		fx.Provide(
			newRedisCache,
			func(c *rediscache.Cache) ports.Cache { return c },
			fx.Annotate(rediscache.NewBroadcaster, fx.As(new(ports.Broadcaster))),
		),
		check,
	)
}

func newMemCache(lc fx.Lifecycle, clock ports.Clock) *memstore.Cache {
	c := memstore.NewCache(clock)
	lc.Append(fx.StopHook(c.Close))
	return c
}

func newRedisCache(lc fx.Lifecycle, cfg config.Config) (*rediscache.Cache, error) {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	c, err := rediscache.New(ctx, rediscache.Options{URL: cfg.Redis.URL, Prefix: cfg.Redis.Prefix})
	if err != nil {
		return nil, err
	}
	lc.Append(fx.StopHook(c.Close))
	return c, nil
}

func cacheCheck(c ports.Cache) httpapi.Check {
	return httpapi.Check{Name: "cache", Ping: c.Ping}
}
