package app

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// flushEvery is the count interval the crash test runs with.
const flushEvery = 200 * time.Millisecond

// TestCrashChild is the service the crash test kills: it runs only when
// re-executed by TestCountsSurviveAKill, prints its address and serves
// until it is killed.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv("GATEHOUSE_CRASH_CHILD_DIR")
	if dir == "" {
		t.Skip("run by TestCountsSurviveAKill")
	}
	svc := startService(t, "GATEHOUSE_DATA_DIR="+dir, "GATEHOUSE_LINKS_FLUSH_EVERY="+flushEvery.String())
	fmt.Println("ADDR", svc.base)
	select {}
}

// TestCountsSurviveAKill: redirects counted by a process killed with
// SIGKILL in the middle of a burst are in storage, all but those of the
// last flush interval; nothing counted twice.
func TestCountsSurviveAKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	child := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.v")
	child.Env = append(os.Environ(), "GATEHOUSE_CRASH_CHILD_DIR="+dir)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = child.Process.Kill(); _ = child.Wait() })
	base := childAddr(t, bufio.NewScanner(out))
	svc := &service{base: base}

	var p pair
	body := `{"username":"crash","email":"crash@example.com","password":"Xq7vLm2pZ"}`
	if code := svc.call(t, "POST", "/auth/register", body, nil, nil); code != 201 && code != 200 {
		t.Fatalf("register: %d", code)
	}
	if code := svc.call(t, "POST", "/auth/login", `{"email":"crash@example.com","password":"Xq7vLm2pZ"}`, nil, &p); code != 200 {
		t.Fatalf("login: %d", code)
	}
	if code := svc.call(t, "POST", "/urls", `{"url":"https://example.com/x","alias":"crash"}`, bearer(p.AccessToken), nil); code != 201 {
		t.Fatalf("create url: %d", code)
	}

	// A burst, then SIGKILL while it still runs: every acknowledged
	// redirect has the time it was acknowledged.
	client := noRedirects()
	var acked []time.Time
	start := time.Now()
	for time.Since(start) < 2*time.Second {
		resp, err := client.Get(base + "/crash")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusFound {
			t.Fatalf("redirect: %d", resp.StatusCode)
		}
		acked = append(acked, time.Now())
	}
	killed := time.Now()
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()

	// Only the last interval may be lost; a second of slack covers a
	// flush write in flight and a scheduler that ran late.
	mustKeep := 0
	for _, at := range acked {
		if at.Before(killed.Add(-flushEvery - time.Second)) {
			mustKeep++
		}
	}
	after := startService(t, "GATEHOUSE_DATA_DIR="+dir)
	if code := after.call(t, "POST", "/auth/login", `{"email":"crash@example.com","password":"Xq7vLm2pZ"}`, nil, &p); code != 200 {
		t.Fatalf("login after the kill: %d", code)
	}
	var urls []struct {
		Redirects int `json:"redirects"`
	}
	if code := after.call(t, "GET", "/urls", "", bearer(p.AccessToken), &urls); code != 200 || len(urls) != 1 {
		t.Fatalf("list after the kill: %d %+v", code, urls)
	}
	stored := urls[0].Redirects
	t.Logf("acknowledged %d redirects, %d of them over %s before the kill; stored %d",
		len(acked), mustKeep, flushEvery+time.Second, stored)
	if stored < mustKeep || stored > len(acked) {
		t.Fatalf("stored %d redirects after SIGKILL; want between %d and %d", stored, mustKeep, len(acked))
	}
}

// childAddr reads the child's "ADDR <base>" line.
func childAddr(tb testing.TB, sc *bufio.Scanner) string {
	tb.Helper()
	for sc.Scan() {
		if base, ok := strings.CutPrefix(sc.Text(), "ADDR "); ok {
			return base
		}
	}
	tb.Fatalf("the child exited before serving: %v", sc.Err())
	return ""
}
