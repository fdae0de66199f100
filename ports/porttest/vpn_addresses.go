package porttest

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/vpn"
	"gatehouse/ports"
)

// allocators is how many requests race for WireGuard addresses.
const allocators = 50

func vpnAddresses(t *testing.T, s ports.VPNStore) {
	ctx := t.Context()
	must(t, s.ClaimAddress(ctx, 1, "10.8.0.2", "k1"), "claim")
	must(t, s.ClaimAddress(ctx, 1, "fdcc::2", "k1"), "claim v6")
	must(t, s.ClaimAddress(ctx, 2, "10.8.0.2", "k2"), "same address, other server")
	wantFault(t, s.ClaimAddress(ctx, 1, "10.8.0.2", "k3"), fault.Conflict, vpn.ReasonAddressTaken, "taken")
	used, err := s.AddressesInUse(ctx, 1)
	must(t, err, "AddressesInUse")
	sameSet(t, used, []string{"10.8.0.2", "fdcc::2"}, "in use")
	must(t, s.ReleaseAddresses(ctx, "k1"), "release")
	must(t, s.ReleaseAddresses(ctx, "k1"), "release again")
	used, err = s.AddressesInUse(ctx, 1)
	must(t, err, "AddressesInUse")
	sameSet(t, used, nil, "released")
	used, err = s.AddressesInUse(ctx, 2)
	must(t, err, "AddressesInUse 2")
	sameSet(t, used, []string{"10.8.0.2"}, "other server kept")
	must(t, s.ClaimAddress(ctx, 1, "10.8.0.2", "k3"), "claim released")
}

func vpnAddressRace(t *testing.T, s ports.VPNStore) {
	errs := race(racers, func(i int) error {
		return s.ClaimAddress(t.Context(), 1, "10.8.0.9", fmt.Sprintf("k%d", i))
	})
	oneWinner(t, errs, fault.Conflict, vpn.ReasonAddressTaken)
}

// vpnAllocateRace runs the allocation the WireGuard provisioner does (the
// first address not in use, claimed by insert, the next on a lost claim)
// in 50 requests at once: each gets an address and no two the same.
func vpnAllocateRace(t *testing.T, s ports.VPNStore) {
	got := make([]string, allocators)
	errs := race(allocators, func(i int) error {
		key := fmt.Sprintf("k%d", i)
		for range 10 * allocators {
			used, err := s.AddressesInUse(t.Context(), 7)
			if err != nil {
				return err
			}
			n := 2
			for slices.Contains(used, fmt.Sprintf("10.8.0.%d", n)) {
				n++
			}
			addr := fmt.Sprintf("10.8.0.%d", n)
			err = s.ClaimAddress(t.Context(), 7, addr, key)
			if fault.ReasonOf(err) == vpn.ReasonAddressTaken {
				continue
			}
			got[i] = addr
			return err
		}
		return fmt.Errorf("%s found no address", key)
	})
	for _, err := range errs {
		must(t, err, "allocate")
	}
	slices.Sort(got)
	if len(slices.Compact(slices.Clone(got))) != allocators {
		t.Fatalf("addresses given twice: %v", got)
	}
	used, err := s.AddressesInUse(t.Context(), 7)
	must(t, err, "AddressesInUse")
	sameSet(t, used, got, "stored claims")
}

func vpnPeerStats(t *testing.T, s ports.VPNStore) {
	ctx := t.Context()
	got, err := s.PeerStats(ctx, 1)
	must(t, err, "PeerStats none")
	if len(got) != 0 {
		t.Fatalf("PeerStats of a new server: %+v", got)
	}
	first := []vpn.PeerStat{
		{PublicKey: "a", LastHandshake: at(1), ReceiveBytes: 10, TransmitBytes: 20},
		{PublicKey: "b", ReceiveBytes: 1},
	}
	must(t, s.SavePeerStats(ctx, 1, first), "save")
	second := []vpn.PeerStat{{PublicKey: "c", LastHandshake: at(2), ReceiveBytes: 3, TransmitBytes: 4}}
	must(t, s.SavePeerStats(ctx, 1, second), "replace")
	got, err = s.PeerStats(ctx, 1)
	must(t, err, "PeerStats")
	for i := range got {
		got[i].LastHandshake = ms(got[i].LastHandshake)
	}
	second[0].LastHandshake = ms(second[0].LastHandshake)
	if !reflect.DeepEqual(got, second) {
		t.Fatalf("PeerStats: got %+v, want %+v", got, second)
	}
}

func vpnLinks(t *testing.T, s ports.VPNStore) {
	ctx := t.Context()
	_, err := s.LinkByHash(ctx, "h1")
	wantFault(t, err, fault.NotFound, vpn.ReasonLinkNotFound, "no link")
	l := vpn.SubscriptionLink{UserID: "u1", TokenHash: "h1", CreatedAt: at(0)}
	must(t, s.SaveLink(ctx, l), "SaveLink")
	got, err := s.LinkByHash(ctx, "h1")
	must(t, err, "LinkByHash")
	norm := func(l vpn.SubscriptionLink) vpn.SubscriptionLink { l.CreatedAt = ms(l.CreatedAt); return l }
	wantEqual(t, got, l, norm, "LinkByHash")
	wantFault(t, s.SaveLink(ctx, vpn.SubscriptionLink{UserID: "u2", TokenHash: "h1", CreatedAt: at(1)}),
		fault.Conflict, vpn.ReasonLinkTaken, "another user's hash")
	must(t, s.SaveLink(ctx, vpn.SubscriptionLink{UserID: "u1", TokenHash: "h2", CreatedAt: at(2)}), "replace")
	_, err = s.LinkByHash(ctx, "h1")
	wantFault(t, err, fault.NotFound, vpn.ReasonLinkNotFound, "replaced link")
	must(t, s.DeleteLink(ctx, "u1"), "DeleteLink")
	must(t, s.DeleteLink(ctx, "u1"), "DeleteLink again")
	_, err = s.LinkByHash(ctx, "h2")
	wantFault(t, err, fault.NotFound, vpn.ReasonLinkNotFound, "deleted link")
}

func vpnDeleteUser(t *testing.T, s ports.VPNStore) {
	ctx := t.Context()
	for _, u := range []string{"u1", "u2"} {
		must(t, s.SaveSubscription(ctx, sub(u, vpn.StatusActive, 60)), "save "+u)
		d := addDevice(t, s, vdev(u, "phone", 0), 2)
		claimKey(t, s, claim("k-"+u, u, d.ID, 1, 0))
		must(t, s.ClaimAddress(ctx, 1, "10.8.0.2-"+u, "k-"+u), "claim address")
		must(t, s.SaveLink(ctx, vpn.SubscriptionLink{UserID: u, TokenHash: "h-" + u, CreatedAt: at(0)}), "link")
	}
	must(t, s.DeleteVPNUser(ctx, "u1"), "DeleteVPNUser")
	_, err := s.Subscription(ctx, "u1")
	wantFault(t, err, fault.NotFound, vpn.ReasonSubscriptionNotFound, "subscription")
	devs, err := s.Devices(ctx, "u1")
	must(t, err, "Devices")
	keys, err := s.UserKeys(ctx, "u1")
	must(t, err, "UserKeys")
	_, kerr := s.Key(ctx, "k-u1")
	_, lerr := s.LinkByHash(ctx, "h-u1")
	used, err := s.AddressesInUse(ctx, 1)
	must(t, err, "AddressesInUse")
	if len(devs)+len(keys) != 0 || kerr == nil || lerr == nil {
		t.Fatalf("u1 left behind: devices %v keys %v key err %v link err %v", devs, keys, kerr, lerr)
	}
	sameSet(t, used, []string{"10.8.0.2-u2"}, "addresses")
	if _, err := s.Subscription(ctx, "u2"); err != nil {
		t.Fatalf("u2 lost its subscription: %v", err)
	}
	if keys, _ := s.UserKeys(ctx, "u2"); len(keys) != 1 {
		t.Fatalf("u2 keys: %+v", keys)
	}
}
