package vpnsvc_test

import (
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/vpn"
)

func TestSubscriptionLink(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	wg, out := e.addWG(t), e.addOutline(t)
	dev := e.subscriber(t, "u1", 1)
	for _, srv := range []int64{wg.ID, out.ID} {
		_, err := e.svc.Key(ctx, "u1", dev.ClientID, srv)
		mustOK(t, err, "Key")
	}
	mustOK(t, e.svc.RefreshActive(ctx), "RefreshActive") // records traffic
	old, err := e.svc.IssueLink(ctx, "u1")
	mustOK(t, err, "IssueLink")
	token, err := e.svc.IssueLink(ctx, "u1")
	mustOK(t, err, "IssueLink again")
	_, err = e.svc.ResolveLink(ctx, old)
	wantFault(t, err, fault.NotFound, vpn.ReasonLinkNotFound, "replaced link")
	user, err := e.svc.ResolveLink(ctx, token)
	mustOK(t, err, "ResolveLink")
	if user != "u1" {
		t.Fatalf("link resolves to %q", user)
	}

	feed, err := e.svc.SubscriptionFeed(ctx, token)
	mustOK(t, err, "SubscriptionFeed")
	if len(feed.Keys) != 2 || feed.Keys[1].Server.Outline.APIURL != "" {
		t.Fatalf("feed keys: %+v", feed.Keys)
	}
	if feed.Userinfo.Download != 2000 || !feed.Userinfo.Expire.Equal(feed.Subscription.ExpiresAt) {
		t.Fatalf("userinfo %+v", feed.Userinfo)
	}

	outKey := feed.Keys[1].Key
	dyn, err := e.svc.DynamicKey(ctx, outKey.Material.DynamicToken)
	mustOK(t, err, "DynamicKey")
	if dyn.ID != outKey.ID {
		t.Fatalf("dynamic key %s, want %s", dyn.ID, outKey.ID)
	}
	_, err = e.svc.DynamicKey(ctx, "nope")
	wantFault(t, err, fault.NotFound, vpn.ReasonKeyNotFound, "unknown dynamic token")

	_, err = e.svc.RevokeSubscription(ctx, "u1")
	mustOK(t, err, "RevokeSubscription")
	_, err = e.svc.DynamicKey(ctx, outKey.Material.DynamicToken)
	wantFault(t, err, fault.Forbidden, vpn.ReasonSubscriptionInactive, "dynamic key after revocation")
	_, err = e.svc.SubscriptionFeed(ctx, token)
	wantFault(t, err, fault.Forbidden, vpn.ReasonSubscriptionInactive, "feed after revocation")

	mustOK(t, e.svc.RevokeLink(ctx, "u1"), "RevokeLink")
	_, err = e.svc.SubscriptionFeed(ctx, token)
	wantFault(t, err, fault.NotFound, vpn.ReasonLinkNotFound, "revoked link")
}

func TestPeersListIssuedWireGuardKeys(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	wg, out := e.addWG(t), e.addOutline(t)
	dev := e.subscriber(t, "u1", 1)
	k, err := e.svc.Key(ctx, "u1", dev.ClientID, wg.ID)
	mustOK(t, err, "Key")
	peers, err := e.svc.Peers(ctx, wg.ID)
	mustOK(t, err, "Peers")
	if len(peers) != 1 || peers[0].PublicKey != k.Material.PublicKey || peers[0].AllowedIPs[0] != k.Material.Addresses[0] {
		t.Fatalf("peers %+v", peers)
	}
	_, err = e.svc.Peers(ctx, out.ID)
	wantFault(t, err, fault.Invalid, "invalid.server_id", "Peers of an outline server")
	_, err = e.svc.Peers(ctx, 99)
	wantFault(t, err, fault.NotFound, vpn.ReasonServerNotFound, "Peers of an unknown server")
	mustOK(t, e.svc.ReportPeers(ctx, wg.ID, []vpn.PeerStat{{PublicKey: k.Material.PublicKey}}), "ReportPeers")
	stats, err := e.store.PeerStats(ctx, wg.ID)
	mustOK(t, err, "PeerStats")
	if len(stats) != 1 {
		t.Fatalf("stats %+v", stats)
	}
}
