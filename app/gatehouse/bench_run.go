package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gatehouse/app/loadgen"
)

// target is one server a round drives.
type target struct {
	name string
	load loadgen.Options // BaseURL and what to request; Clients and Duration come from the flags
	// For wrk: the paths to spread over and the header every request sends.
	paths  []string
	header [2]string
}

// compare drives baseline then gatehouse, f.rounds times, printing each
// round, and returns the sums of both.
func compare(ctx context.Context, w io.Writer, f benchFlags, tmp string, baseline, gatehouse target) (b, g loadgen.Result, err error) {
	fmt.Fprintf(w, "%-6s %-10s %s\n", "round", "target", "result")
	for round := 1; round <= f.rounds; round++ {
		for _, t := range []target{baseline, gatehouse} {
			var r loadgen.Result
			var err error
			if t.name == baseline.name {
				r, err = drive(ctx, f, tmp, t)
			} else {
				r, err = driveProfiled(ctx, f, tmp, t, round)
			}
			if err != nil {
				return b, g, fmt.Errorf("%s: %w", t.name, err)
			}
			fmt.Fprintf(w, "%-6d %-10s %s\n", round, t.name, r)
			if t.name == baseline.name {
				b = add(b, r)
			} else {
				g = add(g, r)
			}
		}
	}
	fmt.Fprintf(w, "%-6s %-10s %.0f req/s vs %.0f req/s = %.2f× %s (p99 %.2f× of its worst round)\n", "all", "ratio",
		g.RPS(), b.RPS(), g.RPS()/b.RPS(), baseline.name, float64(g.P99)/float64(max(b.P99, 1)))
	return b, g, nil
}

// add sums two results; latencies keep the worst round's.
func add(a, r loadgen.Result) loadgen.Result {
	a.Requests += r.Requests
	a.OK += r.OK
	a.Redirects += r.Redirects
	a.Others += r.Others
	a.Errors += r.Errors
	a.Elapsed += r.Elapsed
	a.P50, a.P99, a.Max = max(a.P50, r.P50), max(a.P99, r.P99), max(a.Max, r.Max)
	return a
}

// drive runs one round against t.
func drive(ctx context.Context, f benchFlags, tmp string, t target) (loadgen.Result, error) {
	if !f.wrk {
		o := t.load
		o.Clients, o.Duration = f.clients, f.duration
		return loadgen.Run(ctx, o)
	}
	return runWrk(ctx, f, tmp, t)
}

// driveProfiled runs round against t, profiling the CPU meanwhile into
// f.cpuProfile.<round> when f.cpuProfile is set.
func driveProfiled(ctx context.Context, f benchFlags, tmp string, t target, round int) (loadgen.Result, error) {
	if f.cpuProfile == "" {
		return drive(ctx, f, tmp, t)
	}
	stop, err := startCPUProfile(fmt.Sprintf("%s.%d", f.cpuProfile, round))
	if err != nil {
		return loadgen.Result{}, err
	}
	defer stop()
	return drive(ctx, f, tmp, t)
}

// runWrk runs wrk -t2 -c<clients> -d<duration> --latency against t.
func runWrk(ctx context.Context, f benchFlags, tmp string, t target) (loadgen.Result, error) {
	args := []string{"-t2", "-c" + strconv.Itoa(f.clients), "-d" + f.duration.String(), "--latency"}
	if t.header[0] != "" {
		args = append(args, "-H", t.header[0]+": "+t.header[1])
	}
	url := t.load.BaseURL + t.paths[0]
	if len(t.paths) > 1 {
		script, err := wrkScript(tmp, t.paths)
		if err != nil {
			return loadgen.Result{}, err
		}
		args, url = append(args, "-s", script), t.load.BaseURL
	}
	out, err := exec.CommandContext(ctx, "wrk", append(args, url)...).CombinedOutput()
	if err != nil {
		return loadgen.Result{}, fmt.Errorf("wrk: %w: %s", err, out)
	}
	return parseWrk(string(out), f.duration)
}

// wrkScript writes a wrk script that spreads requests over paths.
func wrkScript(tmp string, paths []string) (string, error) {
	var sb strings.Builder
	sb.WriteString("local paths = {\n")
	for _, p := range paths {
		fmt.Fprintf(&sb, "%q,\n", p)
	}
	sb.WriteString("}\nlocal i = math.random(#paths)\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i])\nend\n")
	path := filepath.Join(tmp, "paths.lua")
	return path, os.WriteFile(path, []byte(sb.String()), 0o600)
}

var (
	wrkTotal  = regexp.MustCompile(`(\d+) requests in ([\d.]+)(\w+),`)
	wrkBad    = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	wrkErrors = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	wrkPct    = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$`)
)

// parseWrk reads wrk's report into a Result; wrk does not tell 2xx from
// 3xx, so its good answers are counted as OK.
func parseWrk(out string, d time.Duration) (loadgen.Result, error) {
	m := wrkTotal.FindStringSubmatch(out)
	if m == nil {
		return loadgen.Result{}, fmt.Errorf("wrk: no total in %q", out)
	}
	var r loadgen.Result
	r.Requests, _ = strconv.ParseInt(m[1], 10, 64)
	if e, err := time.ParseDuration(m[2] + m[3]); err == nil {
		r.Elapsed = e
	} else {
		r.Elapsed = d
	}
	if m := wrkBad.FindStringSubmatch(out); m != nil {
		r.Others, _ = strconv.ParseInt(m[1], 10, 64)
	}
	if m := wrkErrors.FindStringSubmatch(out); m != nil {
		for _, s := range m[1:] {
			n, _ := strconv.ParseInt(s, 10, 64)
			r.Errors += n
		}
	}
	r.OK = r.Requests - r.Others
	for _, m := range wrkPct.FindAllStringSubmatch(out, -1) {
		v, _ := time.ParseDuration(m[2] + m[3])
		if m[1] == "50" {
			r.P50 = v
		} else {
			r.P99 = v
		}
	}
	r.Max = r.P99
	return r, nil
}
