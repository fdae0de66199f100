package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"go.uber.org/fx"

	"gatehouse/adapters/httpapi"
	"gatehouse/app"
	"gatehouse/app/loadgen"
	"gatehouse/config"
	"gatehouse/ports"
)

const benchUsage = `usage: gatehouse bench redirect [--clients 16,64] [--duration 10s] [--links 1000]

Starts gatehouse in-process with memory storage and cache (and again with the
Redis at GATEHOUSE_REDIS_URL when it is set), seeds short links, and drives
GET /{alias} with keep-alive clients; in the same run it drives a bare
net/http handler answering the same 302s from a Go map. It prints req/s,
p50/p99 and the ratio, and checks after a graceful stop that the stored
redirect counts equal the 3xx answers served.
`

// benchCommand runs `gatehouse bench redirect`.
func benchCommand(ctx context.Context, args []string, environ []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "redirect" {
		fmt.Fprint(stderr, benchUsage)
		return 2
	}
	fs := flag.NewFlagSet("gatehouse bench redirect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	clientsFlag := fs.String("clients", "16,64", "comma-separated numbers of concurrent clients")
	duration := fs.Duration("duration", 10*time.Second, "how long each run drives")
	nLinks := fs.Int("links", 1000, "how many links to seed")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	var clients []int
	for _, s := range strings.Split(*clientsFlag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fmt.Fprintf(stderr, "gatehouse bench: --clients: %q is not a positive number\n", s)
			return 2
		}
		clients = append(clients, n)
	}
	if *nLinks < 1 || *duration <= 0 {
		fmt.Fprintln(stderr, "gatehouse bench: --links and --duration must be positive")
		return 2
	}
	caches := []string{""}
	if url := lookup(environ, "GATEHOUSE_REDIS_URL"); url != "" {
		caches = append(caches, url)
	}
	fmt.Fprintf(stdout, "redirect load: %d links, %s per run, GOMAXPROCS=%d, %s\n",
		*nLinks, *duration, runtime.GOMAXPROCS(0), runtime.Version())
	ok := true
	for _, redisURL := range caches {
		if err := benchRedirect(ctx, stdout, redisURL, clients, *duration, *nLinks); err != nil {
			fmt.Fprintf(stderr, "gatehouse bench: %v\n", err)
			ok = false
		}
	}
	if !ok {
		return 1
	}
	return 0
}

// benchRedirect measures one gatehouse (memory storage, the given cache)
// against the bare handler at each client count.
func benchRedirect(ctx context.Context, w io.Writer, redisURL string, clients []int, d time.Duration, nLinks int) error {
	env := []string{"GATEHOUSE_HTTP_ADDR=127.0.0.1:0", "GATEHOUSE_STORAGE_DRIVER=memory", "GATEHOUSE_LOG_LEVEL=error"}
	cacheName := "memory cache"
	if redisURL != "" {
		env = append(env, "GATEHOUSE_REDIS_URL="+redisURL, fmt.Sprintf("GATEHOUSE_REDIS_PREFIX=gatehouse-bench-%d:", time.Now().UnixNano()))
		cacheName = "redis cache"
	}
	cfg, err := config.Load("", env)
	if err != nil {
		return err
	}
	log := app.NewLogger(cfg.Log, os.Stderr)
	var (
		srv   *httpapi.Server
		links ports.Links
		store ports.LinkStore
	)
	fxApp := fx.New(append(app.Options(cfg, app.BuildInfo(), log), fx.Populate(&srv, &links, &store))...)
	if err := fxApp.Start(ctx); err != nil {
		return fmt.Errorf("start gatehouse: %w", err)
	}
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		stopCtx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		return fxApp.Stop(stopCtx)
	}
	defer func() { _ = stop() }()

	targets, paths, ids, err := seed(ctx, links, store, nLinks)
	if err != nil {
		return err
	}
	bare, bareURL, err := startBare(targets, cfg.Links.RedirectStatus)
	if err != nil {
		return err
	}
	defer bare.Close()

	fmt.Fprintf(w, "\ngatehouse with memory storage and %s\n", cacheName)
	fmt.Fprintf(w, "%-8s %-10s %s\n", "clients", "target", "result")
	var served int64
	for _, c := range clients {
		b, err := loadgen.Run(ctx, loadgen.Options{Clients: c, Duration: d, Paths: paths, BaseURL: bareURL})
		if err != nil {
			return err
		}
		g, err := loadgen.Run(ctx, loadgen.Options{Clients: c, Duration: d, Paths: paths, BaseURL: "http://" + srv.Addr()})
		if err != nil {
			return err
		}
		served += g.Redirects
		fmt.Fprintf(w, "%-8d %-10s %s\n", c, "bare", b)
		fmt.Fprintf(w, "%-8d %-10s %s\n", c, "gatehouse", g)
		fmt.Fprintf(w, "%-8d %-10s throughput %.2f× bare, p99 %.2f× bare\n", c, "ratio", g.RPS()/b.RPS(), float64(g.P99)/float64(b.P99))
		if g.Others+g.Errors > 0 {
			return fmt.Errorf("gatehouse answered %d non-redirects and %d errors at c=%d", g.Others, g.Errors, c)
		}
	}
	// A graceful stop flushes every count into storage, which outlives the app
	// here because it is memory.
	if err := stop(); err != nil {
		return fmt.Errorf("stop gatehouse: %w", err)
	}
	var stored int64
	for _, id := range ids {
		l, err := store.LinkByID(context.Background(), id)
		if err != nil {
			return err
		}
		stored += l.Redirects
	}
	if stored != served {
		return fmt.Errorf("counts: stored %d redirects but served %d", stored, served)
	}
	fmt.Fprintf(w, "counts: stored %d = served %d (exact)\n", stored, served)
	return nil
}

// seed creates n links and returns alias → target, the request paths and the link IDs.
func seed(ctx context.Context, links ports.Links, store ports.LinkStore, n int) (map[string]string, []string, []string, error) {
	targets := make(map[string]string, n)
	paths := make([]string, 0, n)
	ids := make([]string, 0, n)
	for i := range n {
		l, err := links.Create(ctx, "bench-owner", ports.NewLink{Target: fmt.Sprintf("https://example.com/page/%d", i)})
		if err != nil {
			return nil, nil, nil, fmt.Errorf("seed link %d: %w", i, err)
		}
		targets[l.Alias] = l.Target
		paths = append(paths, "/"+l.Alias)
		ids = append(ids, l.ID)
	}
	return targets, paths, ids, nil
}

// startBare serves the same redirects from a Go map with nothing else: the
// floor gatehouse is measured against.
func startBare(targets map[string]string, status int) (*http.Server, string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	srv := &http.Server{
		ReadHeaderTimeout: 5 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			target, ok := targets[strings.TrimPrefix(r.URL.Path, "/")]
			if !ok {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Location", target)
			w.Header().Set("Cache-Control", "private, max-age=0")
			w.WriteHeader(status)
		}),
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, "bare server:", err)
		}
	}()
	return srv, "http://" + ln.Addr().String(), nil
}
