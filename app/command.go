package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"go.uber.org/fx"

	"gatehouse/config"
	"gatehouse/ports"
)

// UseCases are the driving ports a command can use.
type UseCases struct {
	fx.In

	Accounts ports.Accounts
	Profiles ports.Profiles
	Recovery ports.Recovery
	Admin    ports.Admin
	Sessions ports.Sessions
	VPN      ports.VPN
}

// WithUseCases starts the use cases and their stores without any frontend,
// calls fn, and stops them again.
func WithUseCases(ctx context.Context, cfg config.Config, build Build, log *slog.Logger, fn func(context.Context, UseCases) error) error {
	var uc UseCases
	fxApp := fx.New(append(CommandOptions(cfg, build, log), fx.Populate(&uc))...)
	if err := fxApp.Err(); err != nil {
		return fmt.Errorf("assemble: %w", err)
	}
	startCtx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	if err := fxApp.Start(startCtx); err != nil {
		return fmt.Errorf("start: %w", err)
	}
	runErr := fn(ctx, uc)
	stopCtx, cancelStop := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancelStop()
	if err := fxApp.Stop(stopCtx); err != nil && runErr == nil {
		return fmt.Errorf("stop: %w", err)
	}
	return runErr
}
