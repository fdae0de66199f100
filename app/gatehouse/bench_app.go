package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"go.uber.org/fx"

	"gatehouse/adapters/httpapi"
	"gatehouse/app"
	"gatehouse/config"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// benchApp is one gatehouse started in-process for a bench, with the ports
// the scenarios seed through.
type benchApp struct {
	fx       *fx.App
	base     string
	users    ports.UserStore
	sessions ports.Sessions
	links    ports.Links
	linkDB   ports.LinkStore
	signer   ports.TokenSigner
	logs     *app.LogOutput
	dir      string
	storage  string
	stopped  bool
}

// startBench starts gatehouse on storage ("sqlite" or "memory") in data
// dir, or a fresh one under tmp when dir is empty, logging at the default
// level to a file there.
func startBench(ctx context.Context, tmp, storage, dir string) (*benchApp, error) {
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp(tmp, storage+"-"); err != nil {
			return nil, err
		}
	}
	// The caller's GATEHOUSE_ settings apply (to bench a configuration),
	// but for where it listens and stores.
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, config.EnvPrefix) {
			env = append(env, kv)
		}
	}
	env = append(env, "GATEHOUSE_HTTP_ADDR=127.0.0.1:0", "GATEHOUSE_DATA_DIR="+dir, "GATEHOUSE_STORAGE_DRIVER="+storage)
	cfg, err := config.Load("", env)
	if err != nil {
		return nil, err
	}
	logFile, err := os.OpenFile(filepath.Join(dir, "gatehouse.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	b := &benchApp{dir: dir, storage: storage, logs: app.NewLogOutput(logFile)}
	var srv *httpapi.Server
	b.fx = fx.New(append(app.Options(cfg, app.BuildInfo(), app.NewLogger(cfg.Log, b.logs)),
		fx.Populate(&srv, &b.users, &b.sessions, &b.links, &b.linkDB, &b.signer))...)
	if err := b.fx.Start(ctx); err != nil {
		return nil, fmt.Errorf("start gatehouse: %w", err)
	}
	b.base = "http://" + srv.Addr()
	return b, nil
}

// stop stops gatehouse gracefully (flushing redirect counts), once.
func (b *benchApp) stop() error {
	if b.stopped {
		return nil
	}
	b.stopped = true
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	defer b.logs.Flush()
	return b.fx.Stop(ctx)
}

// seedUsers stores n accounts straight into the user store (no password
// hashing: the scenarios never sign in) and returns their IDs.
func (b *benchApp) seedUsers(ctx context.Context, n int) ([]string, error) {
	ids := make([]string, 0, n)
	now := time.Now().UTC()
	for i := range n {
		u, err := b.users.Create(ctx, identity.User{
			ID: fmt.Sprintf("bench-%08d", i), Login: fmt.Sprintf("bench%d", i), Email: fmt.Sprintf("bench%d@example.com", i),
			FirstName: "Bench", LastName: strconv.Itoa(i), Locale: identity.LocaleEN, Roles: []string{identity.RoleUser},
			PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g", CreatedAt: now, UpdatedAt: now,
		})
		if err != nil {
			return nil, fmt.Errorf("seed user %d: %w", i, err)
		}
		ids = append(ids, u.ID)
	}
	return ids, nil
}

// served reads http_requests_total of route and status from /metrics once
// the count stands still: a request the load generator gave up on when it
// stopped may still be on its way through gatehouse, counted by the links
// already but not yet by the metrics.
func (b *benchApp) served(route, status string) (int64, error) {
	last, err := b.scrape(route, status)
	for err == nil {
		time.Sleep(200 * time.Millisecond)
		var n int64
		if n, err = b.scrape(route, status); err == nil && n == last {
			return n, nil
		}
		last = n
	}
	return 0, err
}

// scrape reads http_requests_total of route and status from /metrics.
func (b *benchApp) scrape(route, status string) (int64, error) {
	resp, err := http.Get(b.base + "/metrics")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var total int64
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "http_requests_total{") ||
			!strings.Contains(line, `route="`+route+`"`) || !strings.Contains(line, `status="`+status+`"`) {
			continue
		}
		f := strings.Fields(line)
		n, err := strconv.ParseFloat(f[len(f)-1], 64)
		if err != nil {
			return 0, err
		}
		total += int64(n)
	}
	return total, sc.Err()
}
