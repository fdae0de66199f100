package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"log/slog"
	"strings"
	"testing"
	"time"

	"gatehouse/adapters/lognotify"
	"gatehouse/adapters/memstore"
	"gatehouse/adapters/passhash"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/core/vpn/vpnsvc"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

const testAgentSecret = "a test agent secret of at least 32 bytes"

// newVPNDeps is the vpn command's use cases on memstore, with one account,
// alice.
func newVPNDeps(tb testing.TB) vpnDeps {
	tb.Helper()
	clk := porttest.NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	cache := memstore.NewCache(clk)
	tb.Cleanup(func() { _ = cache.Close() })
	v, err := vpnsvc.New(vpnsvc.Deps{Store: memstore.NewVPNStore(), Cache: cache, Clock: clk, Random: rand.Reader})
	if err != nil {
		tb.Fatal(err)
	}
	hasher, err := passhash.New(passhash.Options{Memory: 64, Time: 1, Concurrency: 1})
	if err != nil {
		tb.Fatal(err)
	}
	ids, err := identitysvc.New(identitysvc.Deps{
		Users: memstore.NewUserStore(), Hasher: hasher, Clock: clk, Random: rand.Reader,
		Challenges: memstore.NewChallengeStore(), Notifier: lognotify.New(slog.New(slog.DiscardHandler)),
		Cache: cache, Sessions: noSessions{},
	})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := ids.Register(context.Background(), ports.Registration{Login: "alice", Email: "alice@example.com", Password: "Zt8wQp3mN-cli"}); err != nil {
		tb.Fatal(err)
	}
	return vpnDeps{vpn: v, users: ids, agentSecret: testAgentSecret, linkBase: "https://vpn.example.com"}
}

// noSessions is a session revoker with no sessions to end.
type noSessions struct{}

func (noSessions) EndUserSessions(context.Context, string, string) error { return nil }

// TestVPNCommands runs the vpn commands in order on one set of use cases.
func TestVPNCommands(t *testing.T) {
	d := newVPNDeps(t)
	wgKey := "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg="
	steps := []struct {
		args        string
		code        int
		stdout      string // a substring; "" checks nothing
		stderr      string
		notInStdout string
	}{
		{"server add --protocol wireguard --country Finland --city Helsinki --endpoint vpn1.example.com:51820 --public-key " + wgKey,
			0, "agent token:\tgva_", "", ""},
		{"server add --protocol outline --country Estonia --city Tallinn --endpoint 203.0.113.9:443 " +
			"--api-url https://203.0.113.9:8081/Zs9ptK2u --cert-sha256 AB1F0000000000000000000000000000000000000000000000000000000000CD",
			0, "protocol:  outline", "", "agent token"},
		{"server add --protocol wireguard --city Oulu --endpoint vpn2.example.com:51820", 1, "", "country is required", ""},
		{"server add --protocol carrier-pigeon --country A --city B", 1, "", "protocol must be", ""},
		{"server add --bogus", 2, "", "flag provided but not defined", ""},
		{"server list", 0, "2   outline    Estonia  Tallinn", "", ""},
		{"server disable 2", 0, "server 2 disabled", "", ""},
		{"server enable 2", 0, "server 2 enabled", "", ""},
		{"server disable 9", 1, "", "Server not found.", ""},
		{"server disable x", 1, "", "positive number", ""},
		{"server token 1", 0, "gva_", "", ""},
		{"server token 2", 1, "", "only WireGuard servers", ""},
		{"subscription show alice", 0, "status:  none", "", ""},
		{"subscription grant alice --days 30 --devices 2", 0, "expires:  2025-03-31T12:00:00Z", "", ""},
		{"subscription grant --days 10 --devices 3 --plan family alice@example.com", 0, "plan:     family", "", ""},
		{"subscription grant alice --days 0 --devices 2", 1, "", "days must be between", ""},
		{"subscription grant nobody --days 1 --devices 1", 1, "", "gatehouse vpn subscription grant:", ""},
		{"subscription grant alice bob --days 1 --devices 1", 2, "", "want 1 argument(s), got 2", ""},
		{"subscription show alice", 0, "expires:  2025-04-10T12:00:00Z", "", ""},
		{"subscription link alice", 0, "https://vpn.example.com/api/vpn/sub/", "", ""},
		{"device list alice", 0, "DEVICE  CLIENT ID", "", ""},
		{"device remove alice 7", 1, "", "Device not found.", ""},
		{"subscription revoke alice", 0, "status:   cancelled", "", ""},
		{"subscription revoke nobody", 1, "", "gatehouse vpn subscription revoke:", ""},
		{"server", 2, "", "usage: gatehouse", ""},
		{"server launch", 2, "", `unknown command "server launch"`, ""},
		{"server enable", 2, "", "want 1 argument(s), got 0", ""},
		{"device remove alice", 2, "", "want 2 argument(s), got 1", ""},
	}
	for _, s := range steps {
		var out, errOut bytes.Buffer
		code := vpnCommand(context.Background(), d, strings.Fields(s.args), &out, &errOut)
		if code != s.code || !strings.Contains(out.String(), s.stdout) || !strings.Contains(errOut.String(), s.stderr) ||
			(s.notInStdout != "" && strings.Contains(out.String(), s.notInStdout)) {
			t.Fatalf("vpn %s: exit %d\nstdout:\n%s\nstderr:\n%s\nwant exit %d, stdout with %q, stderr with %q",
				s.args, code, out.String(), errOut.String(), s.code, s.stdout, s.stderr)
		}
	}
}

func TestServerTokenNeedsTheSecret(t *testing.T) {
	d := newVPNDeps(t)
	d.agentSecret = ""
	var out, errOut bytes.Buffer
	if code := vpnCommand(context.Background(), d, []string{"server", "token", "1"}, &out, &errOut); code != 1 ||
		!strings.Contains(errOut.String(), "vpn.agent_secret is not set") {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
}
