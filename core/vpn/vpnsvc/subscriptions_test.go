package vpnsvc_test

import (
	"crypto/rand"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/vpn"
	"gatehouse/core/vpn/vpnsvc"
	"gatehouse/ports"
)

func TestGrantExtendsAnActiveSubscription(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	_, err := e.svc.Subscription(ctx, "u1")
	wantFault(t, err, fault.NotFound, vpn.ReasonSubscriptionNotFound, "none")
	first, err := e.svc.Grant(ctx, "u1", vpn.Grant{Days: 10, Devices: 2})
	mustOK(t, err, "Grant")
	e.clock.Advance(24 * time.Hour)
	second, err := e.svc.Grant(ctx, "u1", vpn.Grant{Days: 5, Devices: 3, Plan: "family"})
	mustOK(t, err, "Grant again")
	if !second.ExpiresAt.Equal(first.ExpiresAt.Add(5*24*time.Hour)) || second.DeviceLimit != 3 || second.Plan != "family" {
		t.Fatalf("extended: %+v", second)
	}
	e.clock.Advance(20 * 24 * time.Hour)
	got, err := e.svc.Subscription(ctx, "u1")
	mustOK(t, err, "Subscription")
	if got.Status != vpn.StatusExpired {
		t.Fatalf("status past expiry %q, want expired", got.Status)
	}
	third, err := e.svc.Grant(ctx, "u1", vpn.Grant{Days: 1, Devices: 1})
	mustOK(t, err, "Grant after expiry")
	if !third.ExpiresAt.Equal(e.clock.Now().Add(24*time.Hour)) || third.Plan != "family" {
		t.Fatalf("renewed: %+v", third)
	}
	_, err = e.svc.Grant(ctx, "u1", vpn.Grant{Days: 0, Devices: 1})
	wantFault(t, err, fault.Invalid, "invalid.days", "zero days")
	_, err = e.svc.RevokeSubscription(ctx, "nobody")
	wantFault(t, err, fault.NotFound, vpn.ReasonSubscriptionNotFound, "revoke none")
}

func TestSettleRevokesKeysOfEndedSubscriptions(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	wg, out := e.addWG(t), e.addOutline(t)
	devA := e.subscriber(t, "a", 1)
	devB := e.subscriber(t, "b", 1)
	_, err := e.svc.Grant(ctx, "b", vpn.Grant{Days: 60, Devices: 1}) // b renews
	mustOK(t, err, "Grant b")
	for _, u := range []struct {
		user string
		dev  vpn.Device
	}{{"a", devA}, {"b", devB}} {
		for _, srv := range []int64{wg.ID, out.ID} {
			_, err := e.svc.Key(ctx, u.user, u.dev.ClientID, srv)
			mustOK(t, err, "Key")
		}
	}
	e.clock.Advance(31 * 24 * time.Hour) // a has expired, b has not
	e.out.setDown(true)
	n, err := e.svc.SettleEnded(ctx)
	wantFault(t, err, fault.Unavailable, vpn.ReasonProvisionerDown, "settle with outline down")
	if n != 0 {
		t.Fatalf("settled %d with a server down", n)
	}
	e.out.setDown(false)
	n, err = e.svc.SettleEnded(ctx)
	mustOK(t, err, "SettleEnded")
	if n != 1 {
		t.Fatalf("settled %d, want 1", n)
	}
	n, err = e.svc.SettleEnded(ctx)
	mustOK(t, err, "SettleEnded again")
	_, _, goneWG := e.wg.counts()
	_, _, goneOut := e.out.counts()
	if n != 0 || goneWG != 1 || goneOut != 1 {
		t.Fatalf("second round settled %d; servers removed %d+%d keys, want 1+1", n, goneWG, goneOut)
	}
	if keys, _ := e.svc.Keys(ctx, "a"); len(keys) != 0 {
		t.Fatalf("a keeps keys: %+v", keys)
	}
	if keys, _ := e.svc.Keys(ctx, "b"); len(keys) != 2 {
		t.Fatalf("b lost keys: %+v", keys)
	}
}

func TestUserDeletedRevokesAndForgets(t *testing.T) {
	e := newEnv(t)
	out := e.addOutline(t)
	dev := e.subscriber(t, "u1", 1)
	_, err := e.svc.Key(t.Context(), "u1", dev.ClientID, out.ID)
	mustOK(t, err, "Key")
	mustOK(t, e.svc.UserDeleted(t.Context(), "u1"), "UserDeleted")
	if held, _, _ := e.out.counts(); held != 0 {
		t.Fatalf("server holds %d keys", held)
	}
	_, err = e.svc.Subscription(t.Context(), "u1")
	wantFault(t, err, fault.NotFound, vpn.ReasonSubscriptionNotFound, "subscription after deletion")
}

func TestJobsRunOnOneReplicaPerRound(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	out := e.addOutline(t)
	dev := e.subscriber(t, "u1", 1)
	_, err := e.svc.Key(ctx, "u1", dev.ClientID, out.ID)
	mustOK(t, err, "Key")
	other, err := vpnsvc.New(vpnsvc.Deps{Store: e.store, Cache: e.cache, Clock: e.clock, Random: rand.Reader,
		Provisioners: ports.Provisioners{e.wg, e.out}})
	mustOK(t, err, "second replica")

	e.clock.Advance(31 * 24 * time.Hour) // the subscription has ended
	e.out.setDown(true)
	wantFault(t, e.svc.SettleJob(ctx), fault.Unavailable, vpn.ReasonProvisionerDown, "SettleJob with the lease, server down")
	e.out.setDown(false)
	mustOK(t, other.SettleJob(ctx), "SettleJob of another replica in the same round")
	if _, _, gone := e.out.counts(); gone != 0 {
		t.Fatalf("a replica without the lease revoked %d keys", gone)
	}
	e.clock.Advance(other.SettleEvery())
	mustOK(t, other.SettleJob(ctx), "SettleJob next round")
	if held, _, gone := e.out.counts(); held != 0 || gone != 1 {
		t.Fatalf("next round: server holds %d, removed %d", held, gone)
	}
	mustOK(t, e.svc.RefreshJob(ctx), "RefreshJob")
	if e.svc.RefreshEvery() != vpnsvc.DefaultRefreshEvery {
		t.Fatalf("RefreshEvery %s", e.svc.RefreshEvery())
	}
}
