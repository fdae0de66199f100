package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"

	"gatehouse/app/loadgen"
	"gatehouse/ports"
)

// benchDevice is where seeded sessions come from.
var benchDevice = ports.DeviceInfo{Name: "bench", UserAgent: "gatehouse-bench/1", IP: "127.0.0.1"}

// withBench runs fn with a temporary dir and a started gatehouse, stopped after.
func withBench(ctx context.Context, storage string, fn func(tmp string, g *benchApp) error) error {
	tmp, err := os.MkdirTemp("", "gatehouse-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	g, err := startBench(ctx, tmp, storage, "")
	if err != nil {
		return err
	}
	defer func() { _ = g.stop() }()
	return fn(tmp, g)
}

// tokenRead drives path on gatehouse with each client's token in
// Authorization (scheme + token) against the bare JWT check with bareToken,
// and checks that gatehouse counted every 200 the clients got.
func tokenRead(ctx context.Context, w io.Writer, f benchFlags, tmp string, g *benchApp, path, scheme string, tokens []string, bareToken string) error {
	bare, err := bareVerify(ctx, g.signer)
	if err != nil {
		return err
	}
	srv, bareURL, err := serveBare(bare)
	if err != nil {
		return err
	}
	defer srv.Close()
	header := func(tok string) func(int) http.Header {
		return func(int) http.Header { return http.Header{"Authorization": {tok}} }
	}
	b, gr, err := compare(ctx, w, f, tmp,
		target{name: "bare", load: loadgen.Options{BaseURL: bareURL, Paths: []string{path}, Header: header("Bearer " + bareToken)},
			paths: []string{path}, header: [2]string{"Authorization", "Bearer " + bareToken}},
		target{name: "gatehouse", load: loadgen.Options{BaseURL: g.base, Paths: []string{path},
			Header: func(c int) http.Header { return http.Header{"Authorization": {scheme + tokens[c%len(tokens)]}} }},
			paths: []string{path}, header: [2]string{"Authorization", scheme + tokens[0]}})
	if err != nil {
		return err
	}
	if b.OK != b.Requests || gr.OK != gr.Requests || gr.Errors > 0 {
		return fmt.Errorf("not every answer was a 200: bare %+v, gatehouse %+v", b, gr)
	}
	return checkServed(w, f, g, path, "200", gr.OK)
}

// checkServed compares gatehouse's own count of answers on route with what
// the clients got. The built-in client counts every answer, so they must be
// equal; wrk drops the answers in flight when it stops, at most one per
// connection and round.
func checkServed(w io.Writer, f benchFlags, g *benchApp, route, status string, got int64) error {
	served, err := g.served(route, status)
	if err != nil {
		return err
	}
	slack := int64(0)
	if f.wrk {
		slack = int64(f.clients * f.rounds)
	}
	if served < got || served > got+slack {
		return fmt.Errorf("counts: gatehouse counted %d answers %s on %s, the clients got %d", served, status, route, got)
	}
	fmt.Fprintf(w, "counts: gatehouse counted %d answers %s on %s; the clients got %d (allowed in flight at stop: %d)\n",
		served, status, route, got, slack)
	return nil
}

// benchAuth: contract 003's profile with access tokens, over records accounts.
func benchAuth(ctx context.Context, w io.Writer, f benchFlags) error {
	return withBench(ctx, f.storage, func(tmp string, g *benchApp) error {
		ids, err := g.seedUsers(ctx, f.records)
		if err != nil {
			return err
		}
		tokens := make([]string, 0, f.clients)
		for c := range min(f.clients, len(ids)) {
			p, err := g.sessions.Start(ctx, ids[c*len(ids)/f.clients], "", benchDevice)
			if err != nil {
				return err
			}
			tokens = append(tokens, p.AccessToken)
		}
		fmt.Fprintf(w, "seeded %d accounts, signed in %d of them\n", len(ids), len(tokens))
		return tokenRead(ctx, w, f, tmp, g, "/v1/user/profile", "Bearer ", tokens, tokens[0])
	})
}

// benchSession: contract 004's /account/me with opaque tokens, over records
// accounts with one opaque session each.
func benchSession(ctx context.Context, w io.Writer, f benchFlags) error {
	return withBench(ctx, f.storage, func(tmp string, g *benchApp) error {
		ids, err := g.seedUsers(ctx, f.records)
		if err != nil {
			return err
		}
		var tokens []string
		for i, id := range ids {
			t, err := g.sessions.StartOpaque(ctx, id, benchDevice)
			if err != nil {
				return err
			}
			if i%max(1, len(ids)/f.clients) == 0 && len(tokens) < f.clients {
				tokens = append(tokens, t.Token)
			}
		}
		jwt, err := g.sessions.Start(ctx, ids[0], "", benchDevice)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "seeded %d accounts with an opaque session each; %d of them drive the load\n", len(ids), len(tokens))
		return tokenRead(ctx, w, f, tmp, g, "/account/me", "", tokens, jwt.AccessToken)
	})
}
