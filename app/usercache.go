package app

import (
	"log/slog"

	"go.uber.org/fx"

	"gatehouse/adapters/usercache"
	"gatehouse/ports"
)

// userCacheModule puts usercache in front of whichever UserStore storage
// provides, for every consumer. A serving process caches (while subscribed
// to invalidations); a command only tells the serving replicas of its
// writes, which reaches them when the broadcaster does (Redis), and within
// usercache.DefaultTTL otherwise. Which of the two is chosen with the mode,
// before the graph is built.
func userCacheModule(m mode) fx.Option {
	if m == serveMode {
		return fx.Decorate(newServingUserCache)
	}
	return fx.Decorate(func(users ports.UserStore, bus ports.Broadcaster, clock ports.Clock, log *slog.Logger) (ports.UserStore, error) {
		return newUserCache(users, bus, clock, log)
	})
}

func newUserCache(users ports.UserStore, bus ports.Broadcaster, clock ports.Clock, log *slog.Logger) (*usercache.Store, error) {
	return usercache.New(users, bus, clock, usercache.Options{Log: log})
}

// newServingUserCache is newUserCache subscribed while the app runs.
func newServingUserCache(lc fx.Lifecycle, users ports.UserStore, bus ports.Broadcaster, clock ports.Clock, log *slog.Logger) (ports.UserStore, error) {
	s, err := newUserCache(users, bus, clock, log)
	if err != nil {
		return nil, err
	}
	lc.Append(fx.StartStopHook(s.Start, s.Stop))
	return s, nil
}
