// Command gatehouse runs the gatehouse service.
//
//	gatehouse [--config path]
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
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gatehouse: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	cfg, err := config.Load(*configPath, environ)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	log := app.NewLogger(cfg.Log, stdout)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
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

func lookup(environ []string, key string) string {
	for i := len(environ) - 1; i >= 0; i-- {
		if len(environ[i]) > len(key) && environ[i][:len(key)+1] == key+"=" {
			return environ[i][len(key)+1:]
		}
	}
	return ""
}
