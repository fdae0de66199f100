package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"gatehouse/app"
	"gatehouse/config"
)

const storageUsage = `usage: gatehouse [--config path] storage <command>

  copy --from <store> --to <store>   copy every collection, then check the counts
  backup <file>                      write a consistent copy of the SQLite database

<store> is sqlite (the configured file), sqlite:<path>, mongo (mongo.uri, or the
embedded server in data_dir) or a mongodb:// URI. A copy writes records over by
key: running it again changes nothing, and finishes a copy that was cut short.
backup runs beside the service; restore by stopping it and putting the file in
place of storage.sqlite.path (see README, Storage).
`

// storageCommand runs one `gatehouse storage` command.
func storageCommand(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, storageUsage)
		return 2
	}
	cfg.Log.Level = "warn"
	log := app.NewLogger(cfg.Log, stderr)
	switch verb, args := args[0], args[1:]; verb {
	case "copy":
		return storageCopy(ctx, cfg, log, args, stdout, stderr)
	case "backup":
		if len(args) != 1 {
			fmt.Fprintf(stderr, "gatehouse storage backup: want 1 argument (the file), got %d\n\n%s", len(args), storageUsage)
			return 2
		}
		if err := app.BackupSQLite(ctx, cfg, args[0]); err != nil {
			fmt.Fprintf(stderr, "gatehouse storage backup: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "backup written to %s; integrity ok\n", args[0])
		return 0
	default:
		fmt.Fprintf(stderr, "gatehouse storage: unknown command %q\n\n%s", verb, storageUsage)
		return 2
	}
}

func storageCopy(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gatehouse storage copy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "the store to read")
	to := fs.String("to", "", "the store to write")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *from == "" || *to == "" || *from == *to || fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gatehouse storage copy: want --from and --to naming two stores\n\n%s", storageUsage)
		return 2
	}
	src, closeSrc, err := app.OpenArchive(ctx, cfg, *from, log)
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse storage copy: open %s: %v\n", *from, err)
		return 1
	}
	defer closeSrc(context.WithoutCancel(ctx)) //nolint:errcheck // read only
	dst, closeDst, err := app.OpenArchive(ctx, cfg, *to, log)
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse storage copy: open %s: %v\n", *to, err)
		return 1
	}
	err = app.CopyStorage(ctx, src, dst, stdout)
	if cerr := closeDst(context.WithoutCancel(ctx)); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse storage copy: %v\n", err)
		return 1
	}
	return 0
}
