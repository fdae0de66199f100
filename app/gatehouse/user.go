package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

const userUsage = `usage: gatehouse [--config path] user <command>

  list [--offset N] [--limit N]   list accounts by number
  show <user>                     show one account
  grant <user> <role>             grant a role ("group:<name>" for a group)
  revoke <user> <role>            revoke a role or group
  block <user>                    stop the account signing in and end its sessions
  unblock <user>                  let a blocked account sign in again

<user> is an account's id, number, login or email.
`

// admin is what the user command needs of the identity use cases.
type admin interface {
	ports.Admin
	ports.Profiles
}

// userCommand runs one `gatehouse user` command against a.
func userCommand(ctx context.Context, a admin, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, userUsage)
		return 2
	}
	verb, args := args[0], args[1:]
	want := map[string]int{"show": 1, "grant": 2, "revoke": 2, "block": 1, "unblock": 1}
	if verb == "list" {
		return listUsers(ctx, a, args, stdout, stderr)
	}
	n, known := want[verb]
	if !known {
		fmt.Fprintf(stderr, "gatehouse user: unknown command %q\n\n%s", verb, userUsage)
		return 2
	}
	if len(args) != n {
		fmt.Fprintf(stderr, "gatehouse user %s: want %d argument(s), got %d\n\n%s", verb, n, len(args), userUsage)
		return 2
	}
	u, err := a.Find(ctx, args[0])
	if err == nil {
		switch verb {
		case "grant":
			u, err = a.Grant(ctx, u.ID, args[1])
		case "revoke":
			u, err = a.Revoke(ctx, u.ID, args[1])
		case "block":
			u, err = a.Block(ctx, u.ID)
		case "unblock":
			u, err = a.Unblock(ctx, u.ID)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse user %s: %s\n", verb, fault.MessageOf(err))
		if fault.CodeOf(err) == fault.Internal {
			fmt.Fprintf(stderr, "  cause: %v\n", err)
		}
		return 1
	}
	if verb == "revoke" {
		fmt.Fprintf(stdout, "revoked %s; %s\n", args[1], remaining(u))
	}
	showUser(stdout, u, a.Permissions(ctx, u))
	return 0
}

// remaining says what an account holds after a revoke, and what holding
// nothing means, so a revoke of the last role is no silent surprise.
func remaining(u identity.User) string {
	if len(u.Roles) == 0 && len(u.Groups) == 0 {
		return "the account now holds no role or group: it can still sign in, with no permissions"
	}
	held := append(slices.Clone(u.Roles), prefixed(identity.GroupPrefix, u.Groups)...)
	return "the account still holds " + strings.Join(held, ", ")
}

func prefixed(prefix string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = prefix + n
	}
	return out
}

func listUsers(ctx context.Context, a admin, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gatehouse user list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	offset := fs.Int("offset", 0, "accounts to skip")
	limit := fs.Int("limit", identity.DefaultPageSize, fmt.Sprintf("accounts to list (1 to %d)", identity.MaxPageSize))
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := identity.CheckPage(*offset, *limit); err != nil {
		fmt.Fprintf(stderr, "gatehouse user list: %s\n", fault.MessageOf(err))
		return 2
	}
	users, err := a.Users(ctx, *offset, *limit)
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse user list: %s\n", fault.MessageOf(err))
		return 1
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NUMBER\tID\tLOGIN\tEMAIL\tSTATUS\tROLES\tGROUPS\tCREATED")
	for _, u := range users {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", u.Number, u.ID, dash(u.Login), dash(u.Email), status(u),
			dash(strings.Join(u.Roles, ",")), dash(strings.Join(u.Groups, ",")), u.CreatedAt.UTC().Format(time.RFC3339))
	}
	if err := tw.Flush(); err != nil {
		return 1
	}
	return 0
}

func showUser(w io.Writer, u identity.User, permissions []string) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	rows := [][2]string{
		{"id", u.ID},
		{"number", fmt.Sprint(u.Number)},
		{"login", dash(u.Login)},
		{"email", dash(u.Email) + verified(u.Email, u.EmailVerified)},
		{"phone", dash(u.Phone) + verified(u.Phone, u.PhoneVerified)},
		{"name", dash(strings.Join(strings.Fields(u.FirstName+" "+u.Patronymic+" "+u.LastName), " "))},
		{"locale", string(u.Locale)},
		{"status", status(u)},
		{"roles", dash(strings.Join(u.Roles, ", "))},
		{"groups", dash(strings.Join(u.Groups, ", "))},
		{"permissions", dash(strings.Join(permissions, ", "))},
		{"created", u.CreatedAt.UTC().Format(time.RFC3339)},
	}
	for _, r := range rows {
		fmt.Fprintf(tw, "%s:\t%s\n", r[0], r[1])
	}
	_ = tw.Flush()
}

func status(u identity.User) string {
	if u.Active() {
		return string(identity.StatusActive)
	}
	return string(u.Status)
}

func verified(handle string, ok bool) string {
	if handle == "" {
		return ""
	}
	if ok {
		return " (verified)"
	}
	return " (not verified)"
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
