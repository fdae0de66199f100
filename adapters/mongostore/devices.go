package mongostore

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"gatehouse/core/sessions"
)

// SaveDevice implements ports.SessionStore with an upsert. Two first saves
// of one device may both try to insert; the loser's duplicate key is
// retried once as the replace it then is.
func (s *SessionStore) SaveDevice(ctx context.Context, d sessions.Device) error {
	unlock := s.c.locks.docs.lock(colDevices + "/" + d.ID)
	defer unlock()
	return s.replaceDevice(ctx, d)
}

// replaceDevice is SaveDevice under the device's lock, which the caller holds.
func (s *SessionStore) replaceDevice(ctx context.Context, d sessions.Device) error {
	doc := toDeviceDoc(d)
	filter := bson.D{{Key: "_id", Value: d.ID}}
	opts := options.Replace().SetUpsert(true)
	_, err := s.c.coll(colDevices).ReplaceOne(ctx, filter, doc, opts)
	if mongo.IsDuplicateKeyError(err) {
		_, err = s.c.coll(colDevices).ReplaceOne(ctx, filter, doc, opts)
	}
	if err != nil {
		return dbErr("save device", err)
	}
	return nil
}

// Device implements ports.SessionStore.
func (s *SessionStore) Device(ctx context.Context, id string) (sessions.Device, error) {
	var d deviceDoc
	err := s.c.coll(colDevices).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if notFound(err) {
		return sessions.Device{}, sessions.DeviceNotFound()
	}
	if err != nil {
		return sessions.Device{}, dbErr("find device", err)
	}
	return d.device(), nil
}

// Devices implements ports.SessionStore.
func (s *SessionStore) Devices(ctx context.Context, userID string) ([]sessions.Device, error) {
	opts := options.Find().SetSort(bson.D{{Key: "last_seen", Value: -1}, {Key: "_id", Value: 1}})
	cur, err := s.c.coll(colDevices).Find(ctx, bson.D{{Key: "user_id", Value: userID}}, opts)
	if err != nil {
		return nil, dbErr("list devices", err)
	}
	var docs []deviceDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, dbErr("list devices", err)
	}
	ds := make([]sessions.Device, 0, len(docs))
	for _, d := range docs {
		ds = append(ds, d.device())
	}
	return ds, nil
}
