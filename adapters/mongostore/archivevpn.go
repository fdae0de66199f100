package mongostore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"gatehouse/ports"
)

// vpnArchived maps the VPN collections onto their documents.
func vpnArchived() map[ports.Collection]archived {
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	return map[ports.Collection]archived{
		ports.CollVPNServers: {name: colVPNServers, intKey: true,
			decode: decodeAs(func(d vpnServerDoc) ports.Record { return ports.Record{Key: id(d.ID), VPNServer: d.server()} }),
			doc:    func(r ports.Record) any { return toVPNServerDoc(r.VPNServer) }},
		ports.CollVPNSubscriptions: {name: colVPNSubscriptions,
			decode: decodeAs(func(d vpnSubscriptionDoc) ports.Record {
				return ports.Record{Key: d.UserID, VPNSubscription: d.subscription()}
			}),
			doc: func(r ports.Record) any { return toVPNSubscriptionDoc(r.VPNSubscription) }},
		ports.CollVPNDevices: {name: colVPNDevices, intKey: true, put: putVPNDevice,
			decode: decodeAs(func(d vpnDeviceDoc) ports.Record { return ports.Record{Key: id(d.ID), VPNDevice: d.device()} })},
		ports.CollVPNKeys: {name: colVPNKeys,
			decode: decodeAs(func(d vpnKeyDoc) ports.Record { return ports.Record{Key: d.ID, VPNKey: d.key()} }),
			doc:    func(r ports.Record) any { return toVPNKeyDoc(r.VPNKey) }},
		ports.CollVPNAddresses: {name: colVPNAddresses,
			decode: decodeAs(func(d vpnAddressDoc) ports.Record {
				return ports.Record{Key: d.ID, VPNAddress: ports.VPNAddress{ServerID: d.ServerID, Address: d.Address, KeyID: d.KeyID}}
			}),
			doc: func(r ports.Record) any {
				a := r.VPNAddress
				return vpnAddressDoc{ID: a.Key(), ServerID: a.ServerID, Address: a.Address, KeyID: a.KeyID}
			}},
		ports.CollVPNPeerStats: {name: colVPNPeerStats, intKey: true,
			decode: decodeAs(func(d vpnPeerStatsDoc) ports.Record {
				return ports.Record{Key: id(d.ServerID), VPNPeerStats: ports.VPNPeerStats{ServerID: d.ServerID, Peers: d.stats()}}
			}),
			doc: func(r ports.Record) any { return toVPNPeerStatsDoc(r.VPNPeerStats.ServerID, r.VPNPeerStats.Peers) }},
		ports.CollVPNLinks: {name: colVPNLinks,
			decode: decodeAs(func(d vpnLinkDoc) ports.Record {
				return ports.Record{Key: d.TokenHash, VPNLink: d.link()}
			}),
			doc: func(r ports.Record) any {
				l := r.VPNLink
				return vpnLinkDoc{TokenHash: l.TokenHash, UserID: l.UserID, CreatedAt: toDBTime(l.CreatedAt)}
			}},
	}
}

// putVPNDevice claims the device's ID, then writes the device over its
// _id with the slot it holds, or the user's lowest free one: AddDevice
// gives each of a user's devices a slot_key below the limit.
func putVPNDevice(ctx context.Context, a *Archive, r ports.Record) error {
	d := r.VPNDevice
	unlock := a.c.locks.users.lock(colVPNDevices + "/" + d.UserID)
	defer unlock()
	if err := a.claimDeviceID(ctx, d.ID); err != nil {
		return err
	}
	docs, err := findAll(ctx, a.c.coll(colVPNDevices), bson.D{{Key: "user_id", Value: d.UserID}}, nil,
		func(x vpnDeviceDoc) vpnDeviceDoc { return x }, "list vpn devices")
	if err != nil {
		return err
	}
	var taken []string
	slot := ""
	for _, x := range docs {
		if x.ID == d.ID {
			slot = x.SlotKey
		}
		taken = append(taken, x.SlotKey)
	}
	for n := 0; slot == ""; n++ {
		if !slices.Contains(taken, slotKey(d.UserID, n)) {
			slot = slotKey(d.UserID, n)
		}
	}
	return a.replace(ctx, ports.CollVPNDevices, archived{name: colVPNDevices, intKey: true}, r.Key, vpnDeviceDoc{
		ID: d.ID, UserID: d.UserID, ClientID: d.ClientID, ClientKey: clientKey(d.UserID, d.ClientID),
		SlotKey: slot, Name: d.Name, CreatedAt: toDBTime(d.CreatedAt), LastSeen: toDBTime(d.LastSeen),
	})
}

// claimDeviceID records device ID n as given; claiming it again is a no-op.
func (a *Archive) claimDeviceID(ctx context.Context, n int64) error {
	_, err := a.c.coll(colVPNDeviceNumbers).ReplaceOne(ctx, bson.D{{Key: "_id", Value: n}}, bson.D{{Key: "_id", Value: n}},
		options.Replace().SetUpsert(true))
	if err != nil {
		return dbErr("claim vpn device id", err)
	}
	return nil
}

// sequenced maps each numbered collection onto the collection whose
// highest _id is its sequence: device IDs are claimed in
// colVPNDeviceNumbers, which outlives the devices; servers are never
// deleted, so the highest server's is the highest ever given.
func sequenced() map[ports.Collection]string {
	return map[ports.Collection]string{ports.CollVPNDevices: colVPNDeviceNumbers, ports.CollVPNServers: colVPNServers}
}

// highestID returns the highest integer _id of coll; ok is false when it
// is empty.
func (a *Archive) highestID(ctx context.Context, coll string) (n int64, ok bool, err error) {
	var last struct {
		ID int64 `bson:"_id"`
	}
	err = a.c.coll(coll).FindOne(ctx, bson.D{}, options.FindOne().SetSort(bson.D{{Key: "_id", Value: -1}})).Decode(&last)
	if notFound(err) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, dbErr("read highest id of "+coll, err)
	}
	return last.ID, true, nil
}

// sequences returns the sequences that have given an ID, by name.
func (a *Archive) sequences(ctx context.Context) ([]ports.Record, error) {
	var rs []ports.Record
	for name, coll := range sequenced() {
		n, ok, err := a.highestID(ctx, coll)
		if err != nil {
			return nil, err
		}
		if ok {
			rs = append(rs, ports.Record{Key: string(name), Sequence: ports.Sequence{Name: name, Last: n}})
		}
	}
	slices.SortFunc(rs, func(x, y ports.Record) int { return cmp.Compare(x.Key, y.Key) })
	return rs, nil
}

func (a *Archive) countSequences(ctx context.Context) (int64, error) {
	rs, err := a.sequences(ctx)
	return int64(len(rs)), err
}

func (a *Archive) scanSequences(ctx context.Context, after string, limit int) ([]ports.Record, error) {
	rs, err := a.sequences(ctx)
	if err != nil {
		return nil, err
	}
	rs = slices.DeleteFunc(rs, func(r ports.Record) bool { return r.Key <= after })
	return rs[:min(len(rs), limit)], nil
}

// putSequences raises each sequence to its Last. The servers' sequence is
// their highest ID, which the servers put before it set: one beyond it
// (a server deleted by hand) cannot be kept here and is refused.
func (a *Archive) putSequences(ctx context.Context, rs []ports.Record) error {
	for _, r := range rs {
		s := r.Sequence
		coll, ok := sequenced()[s.Name]
		switch {
		case !ok:
			return ports.SequenceUnknown(s.Name)
		case coll == colVPNDeviceNumbers:
			if err := a.claimDeviceID(ctx, s.Last); err != nil {
				return err
			}
			continue
		}
		n, _, err := a.highestID(ctx, coll)
		if err != nil {
			return err
		}
		if s.Last > n {
			return fmt.Errorf("mongostore: the %s sequence is at %d, past the highest stored, %d: put the servers first", s.Name, s.Last, n)
		}
	}
	return nil
}
