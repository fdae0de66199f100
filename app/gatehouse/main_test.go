package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/fx"

	"gatehouse/adapters/httpapi"
	"gatehouse/app"
	"gatehouse/config"
)

func runCmd(tb testing.TB, env []string, args ...string) (int, string, string) {
	tb.Helper()
	var out, errOut bytes.Buffer
	code := run(args, env, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestUsageAndConfigErrorsExitTwo(t *testing.T) {
	tests := []struct {
		name    string
		env     []string
		args    []string
		wantErr string
	}{
		{"unknown flag", nil, []string{"--bogus"}, "flag provided but not defined"},
		{"unknown command", nil, []string{"launch"}, `unknown command "launch"`},
		{"bad value", []string{"GATEHOUSE_HTTP_ADDR=nope"}, nil, "config: http.addr (GATEHOUSE_HTTP_ADDR)"},
		{"missing config file", nil, []string{"--config", "/nonexistent/g.yaml"}, "config: read /nonexistent/g.yaml"},
		{"user without command", []string{"GATEHOUSE_STORAGE_DRIVER=memory"}, []string{"user"}, "usage: gatehouse"},
		{"user unknown verb", []string{"GATEHOUSE_STORAGE_DRIVER=memory"}, []string{"user", "explode"}, `unknown command "explode"`},
		{"user wrong arity", []string{"GATEHOUSE_STORAGE_DRIVER=memory"}, []string{"user", "grant", "x"}, "want 2 argument(s)"},
		{"bench without target", nil, []string{"bench"}, "usage: gatehouse bench"},
		{"list of none", []string{"GATEHOUSE_STORAGE_DRIVER=memory"}, []string{"user", "list", "--limit", "0"}, "limit must be 1 to 100"},
		{"list too many", []string{"GATEHOUSE_STORAGE_DRIVER=memory"}, []string{"user", "list", "--limit", "101"}, "limit must be 1 to 100"},
		{"list from before the start", []string{"GATEHOUSE_STORAGE_DRIVER=memory"}, []string{"user", "list", "--offset", "-1"}, "offset must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, tt.env, tt.args...)
			if code != 2 || !strings.Contains(stderr, tt.wantErr) {
				t.Fatalf("exit %d, stderr %q; want 2 and %q", code, stderr, tt.wantErr)
			}
		})
	}
}

// startService runs the whole service in-process on a free port.
func startService(tb testing.TB, env ...string) string {
	tb.Helper()
	cfg, err := config.Load("", append([]string{"GATEHOUSE_HTTP_ADDR=127.0.0.1:0"}, env...))
	if err != nil {
		tb.Fatal(err)
	}
	var srv *httpapi.Server
	a := fx.New(append(app.Options(cfg, app.Build{}, slog.New(slog.DiscardHandler)), fx.Populate(&srv))...)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := a.Start(ctx); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = a.Stop(ctx)
	})
	return "http://" + srv.Addr()
}

func postJSON(tb testing.TB, url, body string, header map[string]string, out any) int {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	if body == "" {
		req.Method = http.MethodGet
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			tb.Fatalf("%s: %d %s", url, resp.StatusCode, data)
		}
	}
	return resp.StatusCode
}

// TestUserCommandBesideTheService grants a role with `gatehouse user` while
// the service runs on the same data dir, and sees it in /account/me.
func TestUserCommandBesideTheService(t *testing.T) {
	if testing.Short() {
		t.Skip("boots the embedded database")
	}
	dir := t.TempDir()
	env := []string{"GATEHOUSE_DATA_DIR=" + dir}
	base := startService(t, env...)
	var acct struct {
		Token string `json:"token"`
		Roles []struct {
			ID   int    `json:"id"`
			Name string `json:"name"`
		} `json:"roles"`
		Permissions []string `json:"permissions"`
	}
	reg := `{"login":"olga_admin","password":"Zt8wQp3mN","email":"olga@example.com","first_name":"Ольга","last_name":"Петрова"}`
	if code := postJSON(t, base+"/account/registration", reg, nil, &acct); code != 200 {
		t.Fatalf("registration: %d", code)
	}

	code, out, stderr := runCmd(t, env, "user", "grant", "olga_admin", "admin")
	if code != 0 || !strings.Contains(out, "admin") {
		t.Fatalf("grant: exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}
	if code := postJSON(t, base+"/account/me", "", map[string]string{"Authorization": acct.Token}, &acct); code != 200 {
		t.Fatalf("me: %d", code)
	}
	names := ""
	for _, r := range acct.Roles {
		names += r.Name + " "
	}
	if !strings.Contains(names, "admin") || !strings.Contains(strings.Join(acct.Permissions, " "), "users.admin") {
		t.Fatalf("after grant: roles %q permissions %v", names, acct.Permissions)
	}

	code, out, _ = runCmd(t, env, "user", "list")
	if code != 0 || !strings.Contains(out, "olga_admin") || !strings.HasPrefix(out, "NUMBER") {
		t.Fatalf("list: exit %d\n%s", code, out)
	}
	code, out, _ = runCmd(t, env, "user", "block", "olga@example.com")
	if code != 0 || !strings.Contains(out, "blocked") {
		t.Fatalf("block: exit %d\n%s", code, out)
	}
	// The command ran in another process: the service learns of the
	// revocation through its revocation feed, within a poll or two.
	deadline := time.Now().Add(10 * time.Second)
	for postJSON(t, base+"/account/me", "", map[string]string{"Authorization": acct.Token}, nil) != 403 {
		if time.Now().After(deadline) {
			t.Fatal("a blocked user's session still works 10s after the block")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if code := postJSON(t, base+"/account/login", `{"login":"olga_admin","password":"Zt8wQp3mN"}`, nil, nil); code != 403 {
		t.Fatalf("a blocked user's login: %d, want 403", code)
	}
	code, _, stderr = runCmd(t, env, "user", "show", "nobody_here")
	if code != 1 || !strings.Contains(stderr, "gatehouse user show:") {
		t.Fatalf("show unknown: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runCmd(t, env, "user", "grant", "olga_admin", "emperor")
	if code != 1 || stderr == "" {
		t.Fatalf("grant unknown role: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runCmd(t, env, "user", "revoke", "olga_admin", "support")
	if code != 1 || !strings.Contains(stderr, `does not hold "support"; nothing changed`) {
		t.Fatalf("revoke a role not held: exit %d, stderr %q", code, stderr)
	}
	code, out, _ = runCmd(t, env, "user", "revoke", "olga_admin", "admin")
	if code != 0 || !strings.Contains(out, "revoked admin; the account still holds user") {
		t.Fatalf("revoke admin: exit %d\n%s", code, out)
	}
	code, out, _ = runCmd(t, env, "user", "revoke", "olga_admin", "user")
	if code != 0 || !strings.Contains(out, "now holds no role or group") {
		t.Fatalf("revoke the last role: exit %d\n%s", code, out)
	}
	code, out, _ = runCmd(t, env, "user", "show", "olga_admin")
	if code != 0 || !strings.Contains(out, "Ольга Петрова") {
		t.Fatalf("show: a name of first and last name prints with one space: %s", out)
	}
}

// TestBenchScenariosCheckCounts runs every scenario briefly on the default
// storage: each must finish with its counts checked.
func TestBenchScenariosCheckCounts(t *testing.T) {
	if testing.Short() {
		t.Skip("drives load")
	}
	tests := []struct{ scenario, want string }{
		{"auth", "counts: gatehouse counted"},
		{"session", "counts: gatehouse counted"},
		{"redirect", "counts: storage holds"},
		{"refresh", "chains: all 2 intact"},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			code, out, stderr := runCmd(t, nil, "bench", tt.scenario, "--clients", "2", "--duration", "200ms",
				"--rounds", "1", "--records", "20")
			if code != 0 || !strings.Contains(out, tt.want) || !strings.Contains(out, "ratio") {
				t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, stderr)
			}
		})
	}
}
