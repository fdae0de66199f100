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
// usercache.DefaultTTL otherwise.
var userCacheModule = fx.Decorate(newUserCache)

func newUserCache(lc fx.Lifecycle, m mode, users ports.UserStore, bus ports.Broadcaster, clock ports.Clock, log *slog.Logger) (ports.UserStore, error) {
	s, err := usercache.New(users, bus, clock, usercache.Options{Log: log})
	if err != nil {
		return nil, err
	}
	if m == serveMode {
		lc.Append(fx.StartStopHook(s.Start, s.Stop))
	}
	return s, nil
}
