package porttest

import (
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/vpn"
	"gatehouse/ports"
)

// claim is an unissued key of user, device and server claimed n minutes after base.
func claim(id, user string, device, server int64, n int) vpn.AccessKey {
	return vpn.AccessKey{
		ID: id, UserID: user, DeviceID: device, ServerID: server, Protocol: vpn.WireGuard,
		Name: "Phone " + id, ClaimedAt: at(n), DynamicHash: vpn.TokenHash("dyn-" + id),
		Material: vpn.Material{DynamicToken: "dyn-" + id},
	}
}

func material(id string) vpn.Material {
	return vpn.Material{
		RemoteID: "remote-" + id, AccessURL: "ss://x@h:1/?outline=1", Config: "[Interface]\n",
		PrivateKey: "priv", PublicKey: "pub-" + id, PresharedKey: "psk",
		Addresses: []string{"10.8.0.2/32", "fdcc::2/128"}, DynamicToken: "dyn-" + id,
	}
}

func normAccessKey(k vpn.AccessKey) vpn.AccessKey {
	k.ClaimedAt, k.IssuedAt, k.RevokedAt = ms(k.ClaimedAt), ms(k.IssuedAt), ms(k.RevokedAt)
	if len(k.Material.Addresses) == 0 {
		k.Material.Addresses = nil
	}
	return k
}

func claimKey(tb testing.TB, s ports.VPNStore, k vpn.AccessKey) {
	tb.Helper()
	must(tb, s.ClaimKey(tb.Context(), k), "ClaimKey "+k.ID)
}

func vpnKeyClaim(t *testing.T, s ports.VPNStore) {
	ctx := t.Context()
	k := claim("k1", "u1", 1, 1, 0)
	claimKey(t, s, k)
	got, err := s.LiveKey(ctx, "u1", 1, 1)
	must(t, err, "LiveKey")
	wantEqual(t, got, k, normAccessKey, "claimed")
	wantFault(t, s.ClaimKey(ctx, claim("k2", "u1", 1, 1, 1)), fault.Conflict, vpn.ReasonKeyClaimed, "slot taken")
	claimKey(t, s, claim("k3", "u1", 1, 2, 1)) // other server
	claimKey(t, s, claim("k4", "u1", 2, 1, 1)) // other device
	claimKey(t, s, claim("k5", "u2", 1, 1, 1)) // other user

	issued, err := s.IssueKey(ctx, "k1", material("k1"), at(2))
	must(t, err, "IssueKey")
	k.Material, k.IssuedAt = material("k1"), at(2)
	wantEqual(t, issued, k, normAccessKey, "IssueKey")
	for what, get := range map[string]func() (vpn.AccessKey, error){
		"LiveKey":          func() (vpn.AccessKey, error) { return s.LiveKey(ctx, "u1", 1, 1) },
		"Key":              func() (vpn.AccessKey, error) { return s.Key(ctx, "k1") },
		"KeyByDynamicHash": func() (vpn.AccessKey, error) { return s.KeyByDynamicHash(ctx, vpn.TokenHash("dyn-k1")) },
	} {
		got, err := get()
		must(t, err, what)
		wantEqual(t, got, k, normAccessKey, what)
	}
	_, err = s.Key(ctx, "nope")
	wantFault(t, err, fault.NotFound, vpn.ReasonKeyNotFound, "Key unknown")
	_, err = s.KeyByDynamicHash(ctx, vpn.TokenHash("nope"))
	wantFault(t, err, fault.NotFound, vpn.ReasonKeyNotFound, "KeyByDynamicHash unknown")
	_, err = s.LiveKey(ctx, "u1", 3, 3)
	wantFault(t, err, fault.NotFound, vpn.ReasonKeyNotFound, "LiveKey unknown")
	_, err = s.IssueKey(ctx, "nope", material("x"), at(3))
	wantFault(t, err, fault.NotFound, vpn.ReasonKeyNotFound, "IssueKey unknown")

	must(t, s.SetKeyTraffic(ctx, "k1", 12345), "SetKeyTraffic")
	must(t, s.SetKeyTraffic(ctx, "nope", 1), "SetKeyTraffic unknown")
	if got, _ := s.Key(ctx, "k1"); got.TrafficBytes != 12345 {
		t.Fatalf("TrafficBytes %d, want 12345", got.TrafficBytes)
	}
}

func vpnKeyRevoke(t *testing.T, s ports.VPNStore) {
	ctx := t.Context()
	claimKey(t, s, claim("k1", "u1", 1, 1, 0))
	_, err := s.IssueKey(ctx, "k1", material("k1"), at(1))
	must(t, err, "IssueKey")
	must(t, s.DropClaim(ctx, "k1"), "DropClaim of an issued key")
	if _, err := s.LiveKey(ctx, "u1", 1, 1); err != nil {
		t.Fatalf("DropClaim removed an issued key: %v", err)
	}
	must(t, s.RevokeKey(ctx, "k1", at(5)), "RevokeKey")
	must(t, s.RevokeKey(ctx, "k1", at(9)), "RevokeKey again")
	wantFault(t, s.RevokeKey(ctx, "nope", at(5)), fault.NotFound, vpn.ReasonKeyNotFound, "RevokeKey unknown")
	_, err = s.LiveKey(ctx, "u1", 1, 1)
	wantFault(t, err, fault.NotFound, vpn.ReasonKeyNotFound, "LiveKey after revoke")
	got, err := s.Key(ctx, "k1")
	must(t, err, "Key after revoke")
	if !ms(got.RevokedAt).Equal(ms(at(5))) || got.Material.PublicKey != "pub-k1" {
		t.Fatalf("revoked key: %+v, want RevokedAt %v and its material kept", got, at(5))
	}
	if _, err := s.KeyByDynamicHash(ctx, vpn.TokenHash("dyn-k1")); err != nil {
		t.Fatalf("KeyByDynamicHash of a revoked key: %v", err)
	}
	_, err = s.IssueKey(ctx, "k1", material("k1"), at(6))
	wantFault(t, err, fault.NotFound, vpn.ReasonKeyNotFound, "IssueKey of a revoked key")

	// The slot takes a new key; an unissued claim can be dropped.
	claimKey(t, s, claim("k2", "u1", 1, 1, 6))
	must(t, s.DropClaim(ctx, "k2"), "DropClaim")
	must(t, s.DropClaim(ctx, "k2"), "DropClaim again")
	_, err = s.Key(ctx, "k2")
	wantFault(t, err, fault.NotFound, vpn.ReasonKeyNotFound, "dropped claim")
	claimKey(t, s, claim("k3", "u1", 1, 1, 7))
}

func vpnKeyLists(t *testing.T, s ports.VPNStore) {
	ctx := t.Context()
	claimKey(t, s, claim("b", "u1", 1, 1, 2))
	claimKey(t, s, claim("a", "u1", 1, 2, 1))
	claimKey(t, s, claim("c", "u1", 2, 1, 3))
	claimKey(t, s, claim("d", "u2", 3, 1, 0))
	must(t, s.RevokeKey(ctx, "c", at(4)), "RevokeKey")
	ids := func(ks []vpn.AccessKey, err error) string {
		t.Helper()
		must(t, err, "list")
		out := ""
		for _, k := range ks {
			out += k.ID
		}
		return out
	}
	if got := ids(s.UserKeys(ctx, "u1")); got != "ab" {
		t.Fatalf("UserKeys u1: %q, want \"ab\"", got)
	}
	if got := ids(s.ServerKeys(ctx, 1)); got != "db" {
		t.Fatalf("ServerKeys 1: %q, want \"db\"", got)
	}
	if got := ids(s.UserKeys(ctx, "nobody")); got != "" {
		t.Fatalf("UserKeys nobody: %q", got)
	}
}

func vpnKeyRace(t *testing.T, s ports.VPNStore) {
	errs := race(racers, func(i int) error {
		return s.ClaimKey(t.Context(), claim("k"+string(rune('a'+i)), "u1", 1, 1, i))
	})
	oneWinner(t, errs, fault.Conflict, vpn.ReasonKeyClaimed)
	keys, err := s.UserKeys(t.Context(), "u1")
	must(t, err, "UserKeys")
	if len(keys) != 1 {
		t.Fatalf("%d live keys, want 1", len(keys))
	}
}
