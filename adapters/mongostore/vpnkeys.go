package mongostore

import (
	"context"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"gatehouse/core/vpn"
)

// ClaimKey implements ports.VPNStore: one insert, which the unique slot
// index refuses when the slot holds a live key.
func (s *VPNStore) ClaimKey(ctx context.Context, k vpn.AccessKey) error {
	k.RevokedAt = time.Time{}
	_, err := s.c.coll(colVPNKeys).InsertOne(ctx, toVPNKeyDoc(k))
	if mongo.IsDuplicateKeyError(err) {
		return vpn.KeyClaimed()
	}
	if err != nil {
		return dbErr("claim vpn key", err)
	}
	return nil
}

func (s *VPNStore) findKey(ctx context.Context, filter bson.D) (vpn.AccessKey, error) {
	var d vpnKeyDoc
	err := s.c.coll(colVPNKeys).FindOne(ctx, filter).Decode(&d)
	if notFound(err) {
		return vpn.AccessKey{}, vpn.KeyNotFound()
	}
	if err != nil {
		return vpn.AccessKey{}, dbErr("find vpn key", err)
	}
	return d.key(), nil
}

// LiveKey implements ports.VPNStore.
func (s *VPNStore) LiveKey(ctx context.Context, userID string, deviceID, serverID int64) (vpn.AccessKey, error) {
	return s.findKey(ctx, bson.D{{Key: "slot", Value: vpn.Slot(userID, deviceID, serverID)}})
}

// Key implements ports.VPNStore.
func (s *VPNStore) Key(ctx context.Context, id string) (vpn.AccessKey, error) {
	return s.findKey(ctx, bson.D{{Key: "_id", Value: id}})
}

// KeyByDynamicHash implements ports.VPNStore.
func (s *VPNStore) KeyByDynamicHash(ctx context.Context, hash string) (vpn.AccessKey, error) {
	if hash == "" {
		return vpn.AccessKey{}, vpn.KeyNotFound()
	}
	return s.findKey(ctx, bson.D{{Key: "dynamic_hash", Value: hash}})
}

// IssueKey implements ports.VPNStore with one conditional update, under
// the key's lock so it cannot interleave with RevokeKey on FerretDB.
func (s *VPNStore) IssueKey(ctx context.Context, id string, m vpn.Material, at time.Time) (vpn.AccessKey, error) {
	unlock := s.c.locks.docs.lock(colVPNKeys + "/" + id)
	defer unlock()
	var d vpnKeyDoc
	err := s.c.coll(colVPNKeys).FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "revoked_at", Value: nil}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "material", Value: toVPNMaterialDoc(m)}, {Key: "issued_at", Value: toDBTime(at)}}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
	if notFound(err) {
		return vpn.AccessKey{}, vpn.KeyNotFound()
	}
	if err != nil {
		return vpn.AccessKey{}, dbErr("issue vpn key", err)
	}
	return d.key(), nil
}

// DropClaim implements ports.VPNStore.
func (s *VPNStore) DropClaim(ctx context.Context, id string) error {
	unlock := s.c.locks.docs.lock(colVPNKeys + "/" + id)
	defer unlock()
	_, err := s.c.coll(colVPNKeys).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "issued_at", Value: nil}})
	if err != nil {
		return dbErr("drop vpn key claim", err)
	}
	return nil
}

// RevokeKey implements ports.VPNStore: RevokedAt is set and the key moves
// to a slot of its own in one conditional update.
func (s *VPNStore) RevokeKey(ctx context.Context, id string, at time.Time) error {
	unlock := s.c.locks.docs.lock(colVPNKeys + "/" + id)
	defer unlock()
	res, err := s.c.coll(colVPNKeys).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "revoked_at", Value: nil}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "revoked_at", Value: toDBTime(at)}, {Key: "slot", Value: revokedSlot(id)}}}})
	if err != nil {
		return dbErr("revoke vpn key", err)
	}
	if res.MatchedCount == 0 {
		_, err := s.Key(ctx, id) // revoked before (nil), or absent
		return err
	}
	return nil
}

// liveKeys lists the live keys of filter, oldest claim first.
func (s *VPNStore) liveKeys(ctx context.Context, filter bson.D) ([]vpn.AccessKey, error) {
	filter = append(filter, bson.E{Key: "revoked_at", Value: nil})
	return findAll(ctx, s.c.coll(colVPNKeys), filter,
		options.Find().SetSort(bson.D{{Key: "claimed_at", Value: 1}, {Key: "_id", Value: 1}}),
		vpnKeyDoc.key, "list vpn keys")
}

// UserKeys implements ports.VPNStore.
func (s *VPNStore) UserKeys(ctx context.Context, userID string) ([]vpn.AccessKey, error) {
	return s.liveKeys(ctx, bson.D{{Key: "user_id", Value: userID}})
}

// ServerKeys implements ports.VPNStore.
func (s *VPNStore) ServerKeys(ctx context.Context, serverID int64) ([]vpn.AccessKey, error) {
	return s.liveKeys(ctx, bson.D{{Key: "server_id", Value: serverID}})
}

// SetKeyTraffic implements ports.VPNStore.
func (s *VPNStore) SetKeyTraffic(ctx context.Context, id string, bytes int64) error {
	unlock := s.c.locks.docs.lock(colVPNKeys + "/" + id)
	defer unlock()
	_, err := s.c.coll(colVPNKeys).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "traffic_bytes", Value: bytes}}}})
	if err != nil {
		return dbErr("record vpn key traffic", err)
	}
	return nil
}

// SavePeerStats implements ports.VPNStore.
func (s *VPNStore) SavePeerStats(ctx context.Context, serverID int64, stats []vpn.PeerStat) error {
	doc := toVPNPeerStatsDoc(serverID, stats)
	unlock := s.c.locks.docs.lock(colVPNPeerStats + "/" + strconv.FormatInt(serverID, 10))
	defer unlock()
	_, err := s.c.coll(colVPNPeerStats).ReplaceOne(ctx, bson.D{{Key: "_id", Value: serverID}}, doc,
		options.Replace().SetUpsert(true))
	if err != nil {
		return dbErr("save vpn peer stats", err)
	}
	return nil
}

// PeerStats implements ports.WireGuardBook.
func (s *VPNStore) PeerStats(ctx context.Context, serverID int64) ([]vpn.PeerStat, error) {
	var d vpnPeerStatsDoc
	err := s.c.coll(colVPNPeerStats).FindOne(ctx, bson.D{{Key: "_id", Value: serverID}}).Decode(&d)
	if notFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, dbErr("find vpn peer stats", err)
	}
	return d.stats(), nil
}

// ClaimAddress implements ports.WireGuardBook: an insert under
// "<server>|<address>", which only one claim of an address survives.
func (s *VPNStore) ClaimAddress(ctx context.Context, serverID int64, addr, keyID string) error {
	_, err := s.c.coll(colVPNAddresses).InsertOne(ctx, vpnAddressDoc{
		ID: strconv.FormatInt(serverID, 10) + "|" + addr, ServerID: serverID, Address: addr, KeyID: keyID,
	})
	if mongo.IsDuplicateKeyError(err) {
		return vpn.AddressTaken()
	}
	if err != nil {
		return dbErr("claim vpn address", err)
	}
	return nil
}

// AddressesInUse implements ports.WireGuardBook.
func (s *VPNStore) AddressesInUse(ctx context.Context, serverID int64) ([]string, error) {
	return findAll(ctx, s.c.coll(colVPNAddresses), bson.D{{Key: "server_id", Value: serverID}},
		options.Find().SetProjection(bson.D{{Key: "address", Value: 1}}),
		func(d vpnAddressDoc) string { return d.Address }, "list vpn addresses")
}

// ReleaseAddresses implements ports.WireGuardBook.
func (s *VPNStore) ReleaseAddresses(ctx context.Context, keyID string) error {
	if _, err := s.c.coll(colVPNAddresses).DeleteMany(ctx, bson.D{{Key: "key_id", Value: keyID}}); err != nil {
		return dbErr("release vpn addresses", err)
	}
	return nil
}
