package mongostore

import (
	"context"
	"strconv"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"gatehouse/core/fault"
	"gatehouse/core/vpn"
)

func clientKey(userID, clientID string) string { return userID + "|" + clientID }

func slotKey(userID string, n int) string { return userID + "#" + strconv.Itoa(n) }

// AddDevice implements ports.VPNStore. A new device is inserted with a free
// slot_key below the limit and its client_key, both unique, so of racing
// registrations (on any number of replicas) at most limit hold a slot and
// one holds a client ID. Device IDs are claimed in colVPNDeviceNumbers
// first, so one is never given twice.
func (s *VPNStore) AddDevice(ctx context.Context, d vpn.Device, limit int) (vpn.Device, error) {
	unlock := s.c.locks.users.lock(colVPNDevices + "/" + d.UserID)
	defer unlock()
	if got, err := s.touchDevice(ctx, d); !fault.Is(err, fault.NotFound) {
		return got, err
	}
	devs, err := findAll(ctx, s.c.coll(colVPNDevices), bson.D{{Key: "user_id", Value: d.UserID}}, nil,
		func(x vpnDeviceDoc) string { return x.SlotKey }, "list vpn devices")
	if err != nil {
		return vpn.Device{}, err
	}
	if err := vpn.AdmitDevice(len(devs), limit); err != nil {
		return vpn.Device{}, err
	}
	taken := map[string]bool{}
	for _, k := range devs {
		taken[k] = true
	}
	for n := range limit {
		if taken[slotKey(d.UserID, n)] {
			continue
		}
		id, err := s.claimNext(ctx, colVPNDeviceNumbers, func(id int64) any { return bson.D{{Key: "_id", Value: id}} })
		if err != nil {
			return vpn.Device{}, err
		}
		d.ID = id
		_, err = s.c.coll(colVPNDevices).InsertOne(ctx, vpnDeviceDoc{
			ID: id, UserID: d.UserID, ClientID: d.ClientID, ClientKey: clientKey(d.UserID, d.ClientID),
			SlotKey: slotKey(d.UserID, n), Name: d.Name, CreatedAt: toDBTime(d.CreatedAt), LastSeen: toDBTime(d.LastSeen),
		})
		if err == nil {
			return d, nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return vpn.Device{}, dbErr("insert vpn device", err)
		}
		// Another registration took this slot or this client ID first.
		if got, err := s.touchDevice(ctx, d); !fault.Is(err, fault.NotFound) {
			return got, err
		}
	}
	return vpn.Device{}, vpn.DeviceLimit(limit)
}

// touchDevice sets Name and LastSeen of the user's device with d.ClientID
// and returns it; fault.NotFound vpn.device_not_found when there is none.
func (s *VPNStore) touchDevice(ctx context.Context, d vpn.Device) (vpn.Device, error) {
	var doc vpnDeviceDoc
	err := s.c.coll(colVPNDevices).FindOneAndUpdate(ctx,
		bson.D{{Key: "client_key", Value: clientKey(d.UserID, d.ClientID)}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "name", Value: d.Name}, {Key: "last_seen", Value: toDBTime(d.LastSeen)}}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&doc)
	if notFound(err) {
		return vpn.Device{}, vpn.DeviceNotFound()
	}
	if err != nil {
		return vpn.Device{}, dbErr("touch vpn device", err)
	}
	return doc.device(), nil
}

// Device implements ports.VPNStore.
func (s *VPNStore) Device(ctx context.Context, userID string, id int64) (vpn.Device, error) {
	return s.findDevice(ctx, bson.D{{Key: "_id", Value: id}, {Key: "user_id", Value: userID}})
}

// DeviceByClientID implements ports.VPNStore.
func (s *VPNStore) DeviceByClientID(ctx context.Context, userID, clientID string) (vpn.Device, error) {
	return s.findDevice(ctx, bson.D{{Key: "client_key", Value: clientKey(userID, clientID)}})
}

func (s *VPNStore) findDevice(ctx context.Context, filter bson.D) (vpn.Device, error) {
	var d vpnDeviceDoc
	err := s.c.coll(colVPNDevices).FindOne(ctx, filter).Decode(&d)
	if notFound(err) {
		return vpn.Device{}, vpn.DeviceNotFound()
	}
	if err != nil {
		return vpn.Device{}, dbErr("find vpn device", err)
	}
	return d.device(), nil
}

// Devices implements ports.VPNStore.
func (s *VPNStore) Devices(ctx context.Context, userID string) ([]vpn.Device, error) {
	return findAll(ctx, s.c.coll(colVPNDevices), bson.D{{Key: "user_id", Value: userID}},
		options.Find().SetSort(bson.D{{Key: "created_at", Value: 1}, {Key: "_id", Value: 1}}),
		vpnDeviceDoc.device, "list vpn devices")
}

// RemoveDevice implements ports.VPNStore.
func (s *VPNStore) RemoveDevice(ctx context.Context, userID string, id int64) error {
	res, err := s.c.coll(colVPNDevices).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "user_id", Value: userID}})
	if err != nil {
		return dbErr("delete vpn device", err)
	}
	if res.DeletedCount == 0 {
		return vpn.DeviceNotFound()
	}
	return nil
}
