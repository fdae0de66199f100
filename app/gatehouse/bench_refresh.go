package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"

	"gatehouse/app/loadgen"
)

// chains are the refresh tokens each client of one gatehouse holds.
type chains struct {
	mu     sync.Mutex
	base   string
	cur    []string // the token to send next
	prev   []string // the token exchanged for cur ("" before the first exchange)
	broken []bool   // an exchange failed
}

// next is the loadgen step of client c: take the token the last answer
// carried, send the newest.
func (ch *chains) next(c int, status int, body []byte) (*http.Request, error) {
	ch.mu.Lock()
	switch {
	case status == http.StatusOK:
		var p struct {
			RefreshToken string `json:"refresh_token"`
		}
		if err := json.Unmarshal(body, &p); err != nil || p.RefreshToken == "" {
			ch.broken[c] = true
		} else {
			ch.prev[c], ch.cur[c] = ch.cur[c], p.RefreshToken
		}
	case status != 0:
		ch.broken[c] = true
	}
	tok := ch.cur[c]
	ch.mu.Unlock()
	req, err := http.NewRequest(http.MethodPost, ch.base+"/v1/auth/refresh", strings.NewReader(`{"refresh_token":"`+tok+`"}`))
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, err
}

// seedChains starts records refresh families on g and gives clients the
// first of them, spread over the records.
func seedChains(ctx context.Context, g *benchApp, records, clients int) (*chains, error) {
	ch := &chains{base: g.base, cur: make([]string, clients), prev: make([]string, clients), broken: make([]bool, clients)}
	step := max(1, records/clients)
	for i := range max(records, clients) {
		p, err := g.sessions.Start(ctx, fmt.Sprintf("bench-%08d", i), "", benchDevice)
		if err != nil {
			return nil, err
		}
		if c := i / step; i%step == 0 && c < clients {
			ch.cur[c] = p.RefreshToken
		}
	}
	return ch, nil
}

// benchRefresh: chained refresh rotation on the chosen storage against the
// same on memory storage, each over records refresh families.
func benchRefresh(ctx context.Context, w io.Writer, f benchFlags) error {
	tmp, err := os.MkdirTemp("", "gatehouse-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	apps := map[string]*benchApp{}
	defer func() {
		for _, g := range apps {
			_ = g.stop()
		}
	}()
	chainsOf := map[string]*chains{}
	storages := []string{f.storage}
	if f.memory {
		storages = []string{"memory", f.storage}
	}
	for _, storage := range storages {
		g, err := startBench(ctx, tmp, storage, "")
		if err != nil {
			return err
		}
		apps[storage] = g
		if chainsOf[storage], err = seedChains(ctx, g, f.records, f.clients); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "seeded %d refresh families on %v\n", f.records, storages)
	got := apps[f.storage]
	gate := target{name: f.storage, load: loadgen.Options{BaseURL: got.base, Next: chainsOf[f.storage].next}}
	var b, gr loadgen.Result
	if f.memory {
		mem := apps["memory"]
		b, gr, err = compare(ctx, w, f, tmp, target{name: "memory", load: loadgen.Options{BaseURL: mem.base, Next: chainsOf["memory"].next}}, gate)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "absolute: %s %.0f rotations/s, memory %.0f rotations/s\n", f.storage, gr.RPS(), b.RPS())
	} else {
		for round := 1; round <= f.rounds; round++ {
			r, err := driveProfiled(ctx, f, tmp, gate, round)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "%-6d %-10s %s\n", round, gate.name, r)
			gr = add(gr, r)
		}
		fmt.Fprintf(w, "absolute: %s %.0f rotations/s\n", f.storage, gr.RPS())
	}
	for _, storage := range storages {
		res := b
		if storage == f.storage {
			res = gr
		}
		if err := checkChains(w, f, apps[storage], chainsOf[storage], res); err != nil {
			return fmt.Errorf("%s: %w", storage, err)
		}
	}
	return nil
}

// checkChains: every answer was a new pair and counted once; every chain's
// newest token still rotates (no family was revoked by mistake); a token
// used before is a reuse, which ends its family.
func checkChains(w io.Writer, f benchFlags, g *benchApp, ch *chains, res loadgen.Result) error {
	if res.OK != res.Requests || res.Errors > 0 {
		return fmt.Errorf("not every exchange succeeded: %+v", res)
	}
	if err := checkServed(w, f, g, "/v1/auth/refresh", "200", res.OK); err != nil {
		return err
	}
	for c := range ch.cur {
		if ch.broken[c] || ch.prev[c] == "" {
			return fmt.Errorf("chain %d broke or never rotated", c)
		}
		steps := []struct {
			token string
			want  int
		}{{ch.cur[c], 200}, {ch.prev[c], 401}}
		for _, s := range steps {
			req, _ := http.NewRequest(http.MethodPost, g.base+"/v1/auth/refresh", strings.NewReader(`{"refresh_token":"`+s.token+`"}`))
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return err
			}
			drain(resp)
			if resp.StatusCode != s.want {
				return fmt.Errorf("chain %d: exchange answered %d, want %d", c, resp.StatusCode, s.want)
			}
		}
	}
	fmt.Fprintf(w, "chains: all %d intact after %d rotations; a reused token was refused on each\n", len(ch.cur), res.OK)
	return nil
}

// drain reads and closes a response body.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
}
