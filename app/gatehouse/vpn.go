package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"gatehouse/adapters/httpapi/vpnapi"
	"gatehouse/core/fault"
	"gatehouse/core/vpn"
	"gatehouse/ports"
)

const vpnUsage = `usage: gatehouse [--config path] vpn <command>

  server add --protocol P --country C --city X --endpoint host:port [flags]
                                    add a server (see gatehouse vpn server add --help)
  server list                       list servers with their active connections
  server enable <id>                offer a server again
  server disable <id>               stop offering a server (issued keys stay)
  server token <id>                 print a WireGuard server's agent token
  subscription grant <user> --days N --devices K [--plan P] [--traffic-limit BYTES]
                                    give or extend access (an active one from its expiry)
  subscription show <user>          show a user's subscription, devices and keys
  subscription revoke <user>        cancel it and revoke its keys at their servers
  subscription link <user>          issue a new subscription link (the old one stops)
  device list <user>                list a user's devices
  device remove <user> <device>     revoke a device's keys and free its slot

<user> is an account's id, number, login or email; <device> a device's id.
`

// vpnDeps is what the vpn command needs.
type vpnDeps struct {
	vpn   ports.VPN
	users ports.Admin
	// agentSecret derives agent tokens (vpn.agent_secret).
	agentSecret string
	// linkBase is where subscription links live: public_url and the
	// contract 001 frontend's prefix.
	linkBase string
}

// vpnArity is how many positional arguments each command takes.
var vpnArity = map[string]int{
	"server list": 0, "server enable": 1, "server disable": 1, "server token": 1,
	"subscription show": 1, "subscription revoke": 1, "subscription link": 1,
	"device list": 1, "device remove": 2,
}

// vpnCommand runs one `gatehouse vpn` command.
func vpnCommand(ctx context.Context, d vpnDeps, args []string, stdout, stderr io.Writer) int {
	if len(args) < 2 {
		fmt.Fprint(stderr, vpnUsage)
		return 2
	}
	noun, verb, rest := args[0], args[1], args[2:]
	var run func(context.Context, vpnDeps, []string, io.Writer) error
	switch noun + " " + verb {
	case "server add":
		return serverAdd(ctx, d, rest, stdout, stderr)
	case "server list":
		run = serverList
	case "server enable", "server disable", "server token":
		run = func(ctx context.Context, d vpnDeps, args []string, w io.Writer) error {
			return serverSwitch(ctx, d, verb, args, w)
		}
	case "subscription grant":
		return subscriptionGrant(ctx, d, rest, stdout, stderr)
	case "subscription show":
		run = subscriptionShow
	case "subscription revoke":
		run = subscriptionRevoke
	case "subscription link":
		run = subscriptionLink
	case "device list":
		run = deviceList
	case "device remove":
		run = deviceRemove
	default:
		fmt.Fprintf(stderr, "gatehouse vpn: unknown command %q\n\n%s", noun+" "+verb, vpnUsage)
		return 2
	}
	if want := vpnArity[noun+" "+verb]; len(rest) != want {
		fmt.Fprintf(stderr, "gatehouse vpn %s %s: want %d argument(s), got %d\n\n%s", noun, verb, want, len(rest), vpnUsage)
		return 2
	}
	return report(stderr, "vpn "+noun+" "+verb, run(ctx, d, rest, stdout))
}

// report prints err for the command and returns the exit code.
func report(stderr io.Writer, cmd string, err error) int {
	if err == nil {
		return 0
	}
	fmt.Fprintf(stderr, "gatehouse %s: %s\n", cmd, fault.MessageOf(err))
	if fe, ok := fault.As(err); ok {
		for _, f := range fe.Fields {
			fmt.Fprintf(stderr, "  %s: %s\n", f.Field, f.Message)
		}
	}
	if fault.CodeOf(err) == fault.Internal {
		fmt.Fprintf(stderr, "  cause: %v\n", err)
	}
	return 1
}

// parseInterleaved parses flags that may come before, between or after
// the positional arguments, and returns the positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// serverAdd adds a server from flags.
func serverAdd(ctx context.Context, d vpnDeps, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gatehouse vpn server add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var s vpn.Server
	protocol := fs.String("protocol", "", "wireguard, outline or static")
	fs.StringVar(&s.Country, "country", "", "country shown to users")
	fs.StringVar(&s.City, "city", "", "city shown to users")
	fs.StringVar(&s.Endpoint, "endpoint", "", "public host:port clients connect to")
	fs.StringVar(&s.PingURL, "ping-url", "", "URL clients ping to measure latency")
	fs.IntVar(&s.Capacity, "capacity", 0, "active connections it takes (0: unbounded)")
	disabled := fs.Bool("disabled", false, "add it switched off")
	w := &s.WireGuard
	fs.StringVar(&w.PublicKey, "public-key", "", "wireguard: the server's public key (wg pubkey)")
	fs.StringVar(&w.IPv4CIDR, "ipv4", "", "wireguard: client IPv4 range (default "+vpn.DefaultWireGuardIPv4+")")
	fs.StringVar(&w.IPv6CIDR, "ipv6", "", "wireguard: client IPv6 range (default "+vpn.DefaultWireGuardIPv6+" with the default IPv4 range)")
	dns := fs.String("dns", "", "wireguard: comma-separated DNS servers for clients (default 1.1.1.1,2606:4700:4700::1111)")
	allowed := fs.String("allowed-ips", "", "wireguard: comma-separated ranges clients route through the tunnel (default 0.0.0.0/0,::/0)")
	fs.IntVar(&w.MTU, "mtu", 0, "wireguard: client MTU (default 1420)")
	fs.IntVar(&w.Keepalive, "keepalive", 0, "wireguard: PersistentKeepalive seconds (0: off)")
	fs.IntVar(&w.ListenPort, "listen-port", 0, "wireguard: the interface's port (default: the endpoint's)")
	fs.StringVar(&s.Outline.APIURL, "api-url", "", "outline: apiUrl as the installer printed it")
	fs.StringVar(&s.Outline.CertSHA256, "cert-sha256", "", "outline: certSha256 as the installer printed it")
	fs.StringVar(&s.Static.AccessURL, "access-url", "", "static: the key URL every user gets")
	configFile := fs.String("config-file", "", "static: a file every user gets as config")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gatehouse vpn server add: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	s.Protocol, s.Enabled = vpn.Protocol(*protocol), !*disabled
	w.DNS, w.AllowedIPs = splitList(*dns), splitList(*allowed)
	if *configFile != "" {
		b, err := os.ReadFile(*configFile)
		if err != nil {
			fmt.Fprintf(stderr, "gatehouse vpn server add: %v\n", err)
			return 1
		}
		s.Static.Config = string(b)
	}
	added, err := d.vpn.AddServer(ctx, s)
	if err != nil {
		return report(stderr, "vpn server add", err)
	}
	showServer(stdout, added)
	if added.Protocol == vpn.WireGuard && d.agentSecret != "" {
		fmt.Fprintf(stdout, "agent token:\t%s\n", vpnapi.AgentToken(d.agentSecret, added.ID))
	}
	return 0
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func serverList(ctx context.Context, d vpnDeps, _ []string, stdout io.Writer) error {
	list, err := d.vpn.ListServers(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPROTOCOL\tCOUNTRY\tCITY\tENDPOINT\tENABLED\tACTIVE\tCAPACITY")
	for _, s := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%t\t%d\t%s\n", s.ID, s.Protocol, s.Country, s.City, dash(s.Endpoint),
			s.Enabled, s.ActiveConnections, capacity(s.Capacity))
	}
	return tw.Flush()
}

func serverSwitch(ctx context.Context, d vpnDeps, verb string, args []string, stdout io.Writer) error {
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil || id < 1 {
		return fault.Invalidf("id", "integer", "A server id is a positive number, not %q.", args[0])
	}
	switch verb {
	case "enable":
		err = d.vpn.EnableServer(ctx, id)
	case "disable":
		err = d.vpn.DisableServer(ctx, id)
	default:
		return serverToken(ctx, d, id, stdout)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "server %d %sd\n", id, verb)
	return nil
}

// serverToken prints the agent token of a WireGuard server.
func serverToken(ctx context.Context, d vpnDeps, id int64, stdout io.Writer) error {
	if d.agentSecret == "" {
		return fault.New(fault.Invalid, "vpn.agent_secret_unset", "vpn.agent_secret is not set: agent tokens are off.")
	}
	list, err := d.vpn.ListServers(ctx)
	if err != nil {
		return err
	}
	for _, s := range list {
		if s.ID == id && s.Protocol == vpn.WireGuard {
			fmt.Fprintln(stdout, vpnapi.AgentToken(d.agentSecret, id))
			return nil
		}
		if s.ID == id {
			return fault.Invalidf("id", "wireguard", "Server %d is %s; only WireGuard servers have agents.", id, s.Protocol)
		}
	}
	return vpn.ServerNotFound()
}

func showServer(w io.Writer, s vpn.Server) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "id:\t%d\nprotocol:\t%s\nplace:\t%s, %s\nendpoint:\t%s\nenabled:\t%t\ncapacity:\t%s\n",
		s.ID, s.Protocol, s.Country, s.City, dash(s.Endpoint), s.Enabled, capacity(s.Capacity))
	if s.Protocol == vpn.WireGuard {
		fmt.Fprintf(tw, "addresses:\t%s %s\n", s.WireGuard.IPv4CIDR, s.WireGuard.IPv6CIDR)
	}
	_ = tw.Flush()
}

func capacity(n int) string {
	if n == 0 {
		return "unbounded"
	}
	return strconv.Itoa(n)
}

// day formats a time for the tables.
func day(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}
