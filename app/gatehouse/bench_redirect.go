package main

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"gatehouse/app/loadgen"
	"gatehouse/ports"
)

// redirectRoute is the redirect's route template, its metrics label.
const redirectRoute = "/{alias:[A-Za-z0-9_-]+}"

// benchRedirect: GET /{alias} over records links, against a Go map and a
// 302; afterwards storage must hold exactly the redirects gatehouse served.
func benchRedirect(ctx context.Context, w io.Writer, f benchFlags) error {
	return withBench(ctx, f.storage, func(tmp string, g *benchApp) error {
		targets := make(map[string]string, f.records)
		paths := make([]string, 0, f.records)
		ids := make([]string, 0, f.records)
		for i := range f.records {
			l, err := g.links.Create(ctx, "bench-owner", ports.NewLink{Target: fmt.Sprintf("https://example.com/page/%d", i)})
			if err != nil {
				return fmt.Errorf("seed link %d: %w", i, err)
			}
			targets[l.Alias] = l.Target
			paths = append(paths, "/"+l.Alias)
			ids = append(ids, l.ID)
		}
		fmt.Fprintf(w, "seeded %d links\n", len(ids))
		srv, bareURL, err := serveBare(bareRedirects(targets, http.StatusFound))
		if err != nil {
			return err
		}
		defer srv.Close()
		// Each link once on each target first: the rounds then measure
		// answers from warm caches, as a server that has run for a while
		// gives them, not a first pass reading every link from storage.
		if _, err := warmUp(bareURL, paths); err != nil {
			return err
		}
		warm, err := warmUp(g.base, paths)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "warmed up: every link requested once on each\n")
		_, gr, err := compare(ctx, w, f, tmp,
			target{name: "bare", load: loadgen.Options{BaseURL: bareURL, Paths: paths}, paths: paths},
			target{name: "gatehouse", load: loadgen.Options{BaseURL: g.base, Paths: paths}, paths: paths})
		if err != nil {
			return err
		}
		if gr.Others+gr.Errors > 0 {
			return fmt.Errorf("gatehouse answered %d non-redirects and %d errors", gr.Others, gr.Errors)
		}
		got := gr.Redirects + warm
		if f.wrk {
			got = gr.OK + warm // wrk does not tell 3xx from 2xx, and gatehouse answers 302 only
		}
		if err := checkServed(w, f, g, redirectRoute, "302", got); err != nil {
			return err
		}
		served, err := g.served(redirectRoute, "302")
		if err != nil {
			return err
		}
		return checkStoredCounts(ctx, w, tmp, g, ids, served)
	})
}

// warmUp requests every path once from a few clients and returns how many
// redirects came back; anything else is an error.
func warmUp(base string, paths []string) (int64, error) {
	const workers = 8
	transport := &http.Transport{MaxIdleConnsPerHost: workers}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	errs := make(chan error, workers)
	for i := range workers {
		go func() {
			for j := i; j < len(paths); j += workers {
				resp, err := client.Get(base + paths[j])
				if err != nil {
					errs <- err
					return
				}
				drain(resp)
				if resp.StatusCode != http.StatusFound {
					errs <- fmt.Errorf("warm-up %s: %d", paths[j], resp.StatusCode)
					return
				}
			}
			errs <- nil
		}()
	}
	for range workers {
		if err := <-errs; err != nil {
			return 0, err
		}
	}
	return int64(len(paths)), nil
}

// checkStoredCounts stops g gracefully, which flushes every count, opens
// its data dir again and checks the stored redirect counts add up to served.
func checkStoredCounts(ctx context.Context, w io.Writer, tmp string, g *benchApp, ids []string, served int64) error {
	if err := g.stop(); err != nil {
		return fmt.Errorf("stop gatehouse: %w", err)
	}
	store := g.linkDB
	if g.storage != "memory" { // memory storage outlives its app; a file is read again
		again, err := startBench(ctx, tmp, g.storage, g.dir)
		if err != nil {
			return err
		}
		defer func() { _ = again.stop() }()
		store = again.linkDB
	}
	var stored int64
	for _, id := range ids {
		l, err := store.LinkByID(ctx, id)
		if err != nil {
			return err
		}
		stored += l.Redirects
	}
	if stored != served {
		return fmt.Errorf("counts: storage holds %d redirects, gatehouse served %d", stored, served)
	}
	fmt.Fprintf(w, "counts: storage holds %d redirects = %d served (exact)\n", stored, served)
	return nil
}
