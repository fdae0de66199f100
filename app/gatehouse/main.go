// Command gatehouse runs the gatehouse service, and commands beside it.
//
//	gatehouse [--config path]                 serve
//	gatehouse [--config path] user <command>  manage accounts (see `gatehouse user`)
//	gatehouse [--config path] vpn <command>   manage VPN servers, subscriptions, devices (see `gatehouse vpn`)
//	gatehouse [--config path] storage <command> copy between stores, back up (see `gatehouse storage`)
//	gatehouse bench auth|session|redirect|refresh [flags]  measure a hot path against a bare handler (see `gatehouse bench`)
//
// Configuration comes from defaults, the YAML file named by --config or
// GATEHOUSE_CONFIG, and GATEHOUSE_* environment variables
// (config/gatehouse.example.yaml lists them). Exit codes: 0 after a clean
// stop, 1 when the service fails, 2 for invalid configuration or usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"gatehouse/app"
	"gatehouse/config"
	"gatehouse/ports"
)

func main() {
	os.Exit(run(os.Args[1:], os.Environ(), os.Stdout, os.Stderr))
}

func run(args, environ []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gatehouse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", lookup(environ, "GATEHOUSE_CONFIG"), "path of a YAML configuration file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, err := config.Load(*configPath, environ)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch cmd := fs.Arg(0); cmd {
	case "", "serve":
		if fs.NArg() > 1 {
			fmt.Fprintf(stderr, "gatehouse: unexpected argument %q\n", fs.Arg(1))
			return 2
		}
		return serve(ctx, cfg, stdout, stderr)
	case "user":
		return runCommand(ctx, cfg, stderr, func(ctx context.Context, uc app.UseCases) int {
			return userCommand(ctx, struct {
				ports.Admin
				ports.Profiles
			}{uc.Admin, uc.Profiles}, fs.Args()[1:], stdout, stderr)
		})
	case "vpn":
		return runCommand(ctx, cfg, stderr, func(ctx context.Context, uc app.UseCases) int {
			return vpnCommand(ctx, vpnDeps{
				vpn: uc.VPN, users: uc.Admin, agentSecret: cfg.VPN.AgentSecret,
				linkBase: cfg.BaseURL() + cfg.Frontends.VPNAPI.Prefix,
			}, fs.Args()[1:], stdout, stderr)
		})
	case "storage":
		return storageCommand(ctx, cfg, fs.Args()[1:], stdout, stderr)
	case "bench":
		return benchCommand(ctx, fs.Args()[1:], environ, stdout, stderr)
	default:
		fmt.Fprintf(stderr, "gatehouse: unknown command %q (want serve, user, vpn, storage or bench)\n", cmd)
		return 2
	}
}

func serve(ctx context.Context, cfg config.Config, stdout, stderr io.Writer) int {
	out := app.NewLogOutput(stdout)
	defer out.Flush()
	log := app.NewLogger(cfg.Log, out)
	if err := app.Run(ctx, cfg, app.BuildInfo(), log); err != nil {
		var ce *config.Error
		if errors.As(err, &ce) {
			fmt.Fprintln(stderr, err)
			return 2
		}
		log.Error("gatehouse stopped", "err", err)
		return 1
	}
	return 0
}

// runCommand runs fn with the use cases; logs go to stderr, warnings only,
// so stdout holds just the command's output.
func runCommand(ctx context.Context, cfg config.Config, stderr io.Writer, fn func(context.Context, app.UseCases) int) int {
	cfg.Log.Level = "warn"
	log := app.NewLogger(cfg.Log, stderr)
	code := 0
	err := app.WithUseCases(ctx, cfg, app.BuildInfo(), log, func(ctx context.Context, uc app.UseCases) error {
		code = fn(ctx, uc)
		return nil
	})
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse: %v\n", err)
		return 1
	}
	return code
}

func lookup(environ []string, key string) string {
	for i := len(environ) - 1; i >= 0; i-- {
		if len(environ[i]) > len(key) && environ[i][:len(key)+1] == key+"=" {
			return environ[i][len(key)+1:]
		}
	}
	return ""
}
