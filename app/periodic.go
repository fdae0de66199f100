package app

import (
	"context"
	"log/slog"
	"time"

	"go.uber.org/fx"
)

// periodic is a piece of work the app runs every interval while it runs:
// the one lifecycle for periodic work (key reloads, the revocation feed,
// redirect-count flushes, VPN jobs). The use cases expose a step; the app
// decides when it runs.
type periodic struct {
	name  string
	every time.Duration
	run   func(context.Context) error
	// first runs the step once in OnStart, before anything that starts
	// later serves; its failure stops start-up.
	first bool
	// last runs the step once more in OnStop, after the ticker has ended,
	// so nothing done since the last run is left behind.
	last bool
}

// hook returns the fx hook of p. A failed run between start and stop is
// logged and retried at the next tick.
func (p periodic) hook(log *slog.Logger) fx.Hook {
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	return fx.Hook{
		OnStart: func(startCtx context.Context) error {
			if p.first {
				if err := p.run(startCtx); err != nil {
					stop()
					close(done)
					return err
				}
			}
			go func() {
				defer close(done)
				t := time.NewTicker(p.every)
				defer t.Stop()
				for {
					select {
					case <-ctx.Done():
						return
					case <-t.C:
					}
					if err := p.run(ctx); err != nil && ctx.Err() == nil {
						log.Warn("periodic work failed; retrying at the next tick", "work", p.name, "err", err)
					}
				}
			}()
			return nil
		},
		OnStop: func(stopCtx context.Context) error {
			stop()
			select {
			case <-done:
			case <-stopCtx.Done():
				return stopCtx.Err()
			}
			if p.last {
				return p.run(stopCtx)
			}
			return nil
		},
	}
}

// periodicWorks are the periodic works of the graph.
type periodicWorks struct {
	fx.In
	Works []periodic `group:"periodic"`
}

// periodicStarted marks that every periodic work is scheduled; the server
// depends on it, so the works' first runs precede serving and their hooks
// stop after the server has.
type periodicStarted struct{}

// startPeriodic appends the hook of every periodic work.
func startPeriodic(lc fx.Lifecycle, log *slog.Logger, in periodicWorks) periodicStarted {
	for _, w := range in.Works {
		lc.Append(w.hook(log))
	}
	return periodicStarted{}
}
