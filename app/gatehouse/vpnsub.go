package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"text/tabwriter"

	"gatehouse/core/fault"
	"gatehouse/core/vpn"
)

// subscriptionGrant gives a user days of access with a device limit.
func subscriptionGrant(ctx context.Context, d vpnDeps, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gatehouse vpn subscription grant", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var g vpn.Grant
	fs.IntVar(&g.Days, "days", 0, "days of access (an active subscription is extended from its expiry)")
	fs.IntVar(&g.Devices, "devices", 0, "how many devices the user may register")
	fs.StringVar(&g.Plan, "plan", "", "plan name (default: the current plan, else "+vpn.DefaultPlan+")")
	fs.Int64Var(&g.TrafficLimitBytes, "traffic-limit", 0, "bytes per key where the server enforces it (0: unlimited)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprintf(stderr, "gatehouse vpn subscription grant: want 1 argument(s), got %d\n\n%s", len(pos), vpnUsage)
		return 2
	}
	u, err := d.users.Find(ctx, pos[0])
	if err != nil {
		return report(stderr, "vpn subscription grant", err)
	}
	sub, err := d.vpn.Grant(ctx, u.ID, g)
	if err != nil {
		return report(stderr, "vpn subscription grant", err)
	}
	showSubscription(stdout, sub)
	return 0
}

func subscriptionShow(ctx context.Context, d vpnDeps, args []string, stdout io.Writer) error {
	u, err := d.users.Find(ctx, args[0])
	if err != nil {
		return err
	}
	sub, err := d.vpn.Subscription(ctx, u.ID)
	switch {
	case fault.Is(err, fault.NotFound):
		fmt.Fprintln(stdout, "status:  none")
	case err != nil:
		return err
	default:
		showSubscription(stdout, sub)
	}
	keys, err := d.vpn.Keys(ctx, u.ID)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	if err := deviceList(ctx, d, args, stdout); err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tSERVER\tDEVICE\tPROTOCOL\tISSUED\tTRAFFIC")
	for _, k := range keys {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%d\n", k.ID, k.ServerID, k.DeviceID, k.Protocol, day(k.IssuedAt), k.TrafficBytes)
	}
	return tw.Flush()
}

func subscriptionRevoke(ctx context.Context, d vpnDeps, args []string, stdout io.Writer) error {
	u, err := d.users.Find(ctx, args[0])
	if err != nil {
		return err
	}
	sub, err := d.vpn.RevokeSubscription(ctx, u.ID)
	if err != nil {
		return err
	}
	showSubscription(stdout, sub)
	return nil
}

func subscriptionLink(ctx context.Context, d vpnDeps, args []string, stdout io.Writer) error {
	u, err := d.users.Find(ctx, args[0])
	if err != nil {
		return err
	}
	token, err := d.vpn.IssueLink(ctx, u.ID)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, d.linkBase+"/api/vpn/sub/"+url.PathEscape(token))
	return nil
}

func deviceList(ctx context.Context, d vpnDeps, args []string, stdout io.Writer) error {
	u, err := d.users.Find(ctx, args[0])
	if err != nil {
		return err
	}
	devices, err := d.vpn.Devices(ctx, u.ID)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DEVICE\tCLIENT ID\tNAME\tADDED\tLAST SEEN")
	for _, dev := range devices {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", dev.ID, dev.ClientID, dash(dev.Name), day(dev.CreatedAt), day(dev.LastSeen))
	}
	return tw.Flush()
}

func deviceRemove(ctx context.Context, d vpnDeps, args []string, stdout io.Writer) error {
	u, err := d.users.Find(ctx, args[0])
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(args[1], 10, 64)
	if err != nil || id < 1 {
		return fault.Invalidf("device", "integer", "A device id is a positive number, not %q.", args[1])
	}
	if err := d.vpn.RemoveDevice(ctx, u.ID, id); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "device %d removed; its keys are revoked\n", id)
	return nil
}

func showSubscription(w io.Writer, s vpn.Subscription) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	limit := "unlimited"
	if s.TrafficLimitBytes > 0 {
		limit = strconv.FormatInt(s.TrafficLimitBytes, 10) + " bytes"
	}
	fmt.Fprintf(tw, "status:\t%s\nplan:\t%s\nstarted:\t%s\nexpires:\t%s\ndevices:\t%d\ntraffic:\t%s\n",
		s.Status, dash(s.Plan), day(s.StartedAt), day(s.ExpiresAt), s.DeviceLimit, limit)
	_ = tw.Flush()
}
