package porttest

import (
	"fmt"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/vpn"
	"gatehouse/ports"
)

// sampleVPNRecords returns one full record of each VPN collection and a
// sequence, distinct per i, for user.
func sampleVPNRecords(i int, user string) map[ports.Collection]ports.Record {
	srv := wgServer(fmt.Sprint("city", i))
	srv.ID = int64(i)
	sb := sub(user, vpn.StatusActive, i)
	sb.SettledAt = at(i + 4)
	dev := vdev(user, fmt.Sprint("client", i), i)
	dev.ID = int64(i)
	k := claim(fmt.Sprint("vk", i), user, dev.ID, srv.ID, i)
	k.Material, k.IssuedAt, k.TrafficBytes = material(k.ID), at(i+1), 1<<20+int64(i)
	if i%2 == 1 {
		k.RevokedAt = at(i + 3)
	}
	addr := ports.VPNAddress{ServerID: srv.ID, Address: fmt.Sprintf("10.8.0.%d", i+1), KeyID: k.ID}
	stats := ports.VPNPeerStats{ServerID: srv.ID, Peers: []vpn.PeerStat{
		{PublicKey: "pub-" + k.ID, LastHandshake: at(i + 2), ReceiveBytes: 10, TransmitBytes: 20},
		{PublicKey: "idle", ReceiveBytes: 1},
	}}
	l := vpn.SubscriptionLink{UserID: user, TokenHash: fmt.Sprint("th", i), CreatedAt: at(i)}
	id := func(n int64) string { return fmt.Sprint(n) }
	return map[ports.Collection]ports.Record{
		ports.CollVPNServers:       {Key: id(srv.ID), VPNServer: srv},
		ports.CollVPNSubscriptions: {Key: user, VPNSubscription: sb},
		ports.CollVPNDevices:       {Key: id(dev.ID), VPNDevice: dev},
		ports.CollVPNKeys:          {Key: k.ID, VPNKey: k},
		ports.CollVPNAddresses:     {Key: addr.Key(), VPNAddress: addr},
		ports.CollVPNPeerStats:     {Key: id(srv.ID), VPNPeerStats: stats},
		ports.CollVPNLinks:         {Key: l.TokenHash, VPNLink: l},
		// Devices up to i+10 were given; the ones above i were removed.
		ports.CollSequences: sequence(ports.CollVPNDevices, int64(i)+10),
	}
}

// sequence is the record of a sequence.
func sequence(name ports.Collection, last int64) ports.Record {
	return ports.Record{Key: string(name), Sequence: ports.Sequence{Name: name, Last: last}}
}

// normVPNRecord normalises the VPN fields of r.
func normVPNRecord(r ports.Record) ports.Record {
	r.VPNServer, r.VPNSubscription = normServer(r.VPNServer), normSub(r.VPNSubscription)
	r.VPNDevice, r.VPNKey = normVPNDevice(r.VPNDevice), normAccessKey(r.VPNKey)
	var peers []vpn.PeerStat
	for _, p := range r.VPNPeerStats.Peers {
		p.LastHandshake = ms(p.LastHandshake)
		peers = append(peers, p)
	}
	r.VPNPeerStats.Peers = peers
	r.VPNLink.CreatedAt = ms(r.VPNLink.CreatedAt)
	return r
}

func archiveVPNUnique(t *testing.T, a ports.Archive) {
	for _, c := range []ports.Collection{ports.CollVPNDevices, ports.CollVPNKeys, ports.CollVPNLinks} {
		put(t, a, c, sampleRecords(2)[c]) // the key of 2 is live
	}
	taken := func(c ports.Collection, r ports.Record, what string) {
		t.Helper()
		wantFault(t, a.Put(t.Context(), c, []ports.Record{r}), fault.Conflict, ports.ReasonKeyTaken, what)
	}
	dev := sampleRecords(3)[ports.CollVPNDevices]
	dev.VPNDevice.UserID, dev.VPNDevice.ClientID = fullUser(2).ID, "client2"
	taken(ports.CollVPNDevices, dev, "a device with the client ID of another of its user's")

	k := sampleRecords(4)[ports.CollVPNKeys]
	k.VPNKey.UserID, k.VPNKey.DeviceID, k.VPNKey.ServerID = fullUser(2).ID, 2, 2
	taken(ports.CollVPNKeys, k, "a second live key in a slot")
	k.VPNKey.RevokedAt = at(9)
	put(t, a, ports.CollVPNKeys, k) // a revoked key holds no slot

	l := sampleRecords(3)[ports.CollVPNLinks]
	l.VPNLink.UserID = fullUser(2).ID
	taken(ports.CollVPNLinks, l, "a second link of a user")
	wantCount(t, a, ports.CollVPNDevices, 1)
	wantCount(t, a, ports.CollVPNKeys, 2)
	wantCount(t, a, ports.CollVPNLinks, 1)
}

func archiveSequences(t *testing.T, a ports.Archive) {
	wantSequences := func(want ...ports.Record) {
		t.Helper()
		got, err := a.Scan(t.Context(), ports.CollSequences, "", 10)
		must(t, err, "Scan sequences")
		wantEqual(t, got, want, normRecords, "sequences")
		wantCount(t, a, ports.CollSequences, int64(len(want)))
	}
	wantSequences()
	put(t, a, ports.CollVPNDevices, sampleRecords(5)[ports.CollVPNDevices])
	wantSequences(sequence(ports.CollVPNDevices, 5))
	put(t, a, ports.CollSequences, sequence(ports.CollVPNDevices, 9))
	put(t, a, ports.CollSequences, sequence(ports.CollVPNDevices, 3))
	wantSequences(sequence(ports.CollVPNDevices, 9))
	put(t, a, ports.CollVPNServers, sampleRecords(4)[ports.CollVPNServers])
	put(t, a, ports.CollSequences, sequence(ports.CollVPNServers, 4))
	wantSequences(sequence(ports.CollVPNDevices, 9), sequence(ports.CollVPNServers, 4))
	page, err := a.Scan(t.Context(), ports.CollSequences, string(ports.CollVPNDevices), 10)
	must(t, err, "Scan sequences after the first")
	wantEqual(t, page, []ports.Record{sequence(ports.CollVPNServers, 4)}, normRecords, "the page after vpn_devices")
	for _, name := range []ports.Collection{ports.CollVPNKeys, "nope"} {
		wantFault(t, a.Put(t.Context(), ports.CollSequences, []ports.Record{sequence(name, 1)}),
			fault.Invalid, ports.ReasonSequenceUnknown, "a sequence of "+string(name))
	}
}
