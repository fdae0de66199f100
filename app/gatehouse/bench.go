package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"
)

const benchUsage = `usage: gatehouse bench auth|session|redirect|refresh [flags]

  auth      GET /v1/user/profile with an Ed25519 access token (contract 003)
  session   GET /account/me with an opaque token (contract 004)
  redirect  GET /{alias}
  refresh   POST /v1/auth/refresh, each client chaining the tokens it gets

Each scenario starts gatehouse in-process on the default storage (SQLite in a
temporary data dir; --storage memory for process memory), seeds --records
records, and drives it alternately with a bare net/http handler doing the
least the same answer needs (auth and session: verify the same Ed25519 JWT;
redirect: a Go map and a 302; refresh: the same gatehouse on memory storage),
--rounds times each. It prints req/s, p50/p99, the ratio, the peak resident
memory of the process, and checks after the run that gatehouse counted every
answer the clients got exactly once (and for redirects, that storage holds
exactly the redirects served; for refresh, that every chain is intact and a
reused token still revokes its family). With --wrk the load comes from
wrk -t2 -c<clients> -d<duration> instead of the built-in client (not for
refresh, which needs a chain per connection).

flags:
`

// benchFlags are the options every scenario takes.
type benchFlags struct {
	records  int
	clients  int
	duration time.Duration
	rounds   int
	storage  string
	wrk      bool
	memory   bool // refresh: drive the same on memory storage as its baseline
	// cpuProfile, when set, names the CPU profiles of gatehouse's rounds:
	// cpuProfile.1, cpuProfile.2, ... (baselines and seeding left out).
	cpuProfile string
}

// benchCommand runs `gatehouse bench <scenario>`.
func benchCommand(ctx context.Context, args []string, _ []string, stdout, stderr io.Writer) int {
	scenarios := map[string]func(context.Context, io.Writer, benchFlags) error{
		"auth": benchAuth, "session": benchSession, "redirect": benchRedirect, "refresh": benchRefresh,
	}
	if len(args) == 0 || scenarios[args[0]] == nil {
		fmt.Fprint(stderr, benchUsage)
		return 2
	}
	fs := flag.NewFlagSet("gatehouse bench "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f benchFlags
	fs.IntVar(&f.records, "records", 1000, "records to seed (users, sessions, links or refresh families)")
	clients := fs.Int("clients", 0, "concurrent clients (default 64; refresh 16)")
	fs.DurationVar(&f.duration, "duration", 5*time.Second, "how long each round drives one target")
	fs.IntVar(&f.rounds, "rounds", 3, "rounds, each driving the baseline then gatehouse")
	fs.StringVar(&f.storage, "storage", "sqlite", "gatehouse's storage: sqlite or memory")
	fs.BoolVar(&f.wrk, "wrk", false, "drive the load with wrk instead of the built-in client")
	fs.BoolVar(&f.memory, "baseline", true, "refresh: run memory storage beside it (false: only the absolute rate, and a peak RSS of one gatehouse)")
	fs.StringVar(&f.cpuProfile, "cpuprofile", "", "profile the CPU during gatehouse's rounds into `FILE`.1, FILE.2, ... (go tool pprof merges them)")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	f.clients = *clients
	if f.clients == 0 {
		f.clients = 64
		if args[0] == "refresh" {
			f.clients = 16
		}
	}
	switch {
	case f.records < 1 || f.clients < 1 || f.rounds < 1 || f.duration <= 0:
		fmt.Fprintln(stderr, "gatehouse bench: --records, --clients, --rounds and --duration must be positive")
		return 2
	case f.storage != "sqlite" && f.storage != "memory":
		fmt.Fprintf(stderr, "gatehouse bench: --storage %q: want sqlite or memory\n", f.storage)
		return 2
	case f.wrk && args[0] == "refresh":
		fmt.Fprintln(stderr, "gatehouse bench refresh: --wrk cannot chain tokens per connection; use the built-in client")
		return 2
	}
	driver := "built-in client"
	if f.wrk {
		driver = "wrk"
	}
	fmt.Fprintf(stdout, "bench %s: %d records on %s, %d clients (%s), %d rounds of %s, GOMAXPROCS=%d, %s\n",
		args[0], f.records, f.storage, f.clients, driver, f.rounds, f.duration, runtime.GOMAXPROCS(0), runtime.Version())
	if err := scenarios[args[0]](ctx, stdout, f); err != nil {
		fmt.Fprintf(stderr, "gatehouse bench %s: %v\n", args[0], err)
		return 1
	}
	fmt.Fprintf(stdout, "peak resident memory of this process: %s\n", peakRSS())
	return 0
}

// startCPUProfile profiles the process into path until the returned stop.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// peakRSS is the process's peak resident set (VmHWM), as Linux reports it.
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			if err != nil {
				return strings.TrimSpace(v)
			}
			return fmt.Sprintf("%.0f MiB", float64(kb)/1024)
		}
	}
	return "unknown"
}
