package mongostore

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"gatehouse/core/fault"
	"gatehouse/core/vpn"
	"gatehouse/ports"
)

// VPNStore keeps VPN servers, subscriptions, devices, keys, WireGuard
// address claims and subscription links in the vpn_* collections. Each
// limit is claimed by one insert under a unique key (see vpnIndexes), which
// is atomic on MongoDB and on FerretDB alike; read-modify-write steps take
// the Client's in-process locks, which only the embedded server needs.
type VPNStore struct {
	c *Client
}

var _ ports.VPNStore = (*VPNStore)(nil)

// NewVPNStore returns the VPN store of c.
func NewVPNStore(c *Client) *VPNStore { return &VPNStore{c: c} }

// findAll runs a Find and converts every document.
func findAll[D, T any](ctx context.Context, coll *mongo.Collection, filter bson.D, opts *options.FindOptionsBuilder, conv func(D) T, what string) ([]T, error) {
	cur, err := coll.Find(ctx, filter, opts)
	if err != nil {
		return nil, dbErr(what, err)
	}
	var docs []D
	if err := cur.All(ctx, &docs); err != nil {
		return nil, dbErr(what, err)
	}
	out := make([]T, 0, len(docs))
	for _, d := range docs {
		out = append(out, conv(d))
	}
	return out, nil
}

// claimNext inserts the document that newDoc makes for the highest _id in
// coll plus one, trying the next when another insert took it first, and
// returns the _id it got.
func (s *VPNStore) claimNext(ctx context.Context, coll string, newDoc func(id int64) any) (int64, error) {
	unlock := s.c.locks.numbers.lock(coll)
	defer unlock()
	for range numberAttempts {
		var last struct {
			ID int64 `bson:"_id"`
		}
		err := s.c.coll(coll).FindOne(ctx, bson.D{}, options.FindOne().SetSort(bson.D{{Key: "_id", Value: -1}})).Decode(&last)
		if err != nil && !notFound(err) {
			return 0, dbErr("read highest id of "+coll, err)
		}
		_, err = s.c.coll(coll).InsertOne(ctx, newDoc(last.ID+1))
		if mongo.IsDuplicateKeyError(err) {
			continue
		}
		if err != nil {
			return 0, dbErr("claim id in "+coll, err)
		}
		return last.ID + 1, nil
	}
	return 0, fmt.Errorf("mongostore: no free id in %s after %d attempts", coll, numberAttempts)
}

// AddServer implements ports.VPNStore.
func (s *VPNStore) AddServer(ctx context.Context, srv vpn.Server) (vpn.Server, error) {
	srv.ActiveConnections = 0
	id, err := s.claimNext(ctx, colVPNServers, func(id int64) any {
		d := toVPNServerDoc(srv)
		d.ID = id
		return d
	})
	if err != nil {
		return vpn.Server{}, err
	}
	srv.ID = id
	return srv, nil
}

// Server implements ports.VPNStore.
func (s *VPNStore) Server(ctx context.Context, id int64) (vpn.Server, error) {
	var d vpnServerDoc
	err := s.c.coll(colVPNServers).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if notFound(err) {
		return vpn.Server{}, vpn.ServerNotFound()
	}
	if err != nil {
		return vpn.Server{}, dbErr("find vpn server", err)
	}
	return d.server(), nil
}

// Servers implements ports.VPNStore.
func (s *VPNStore) Servers(ctx context.Context) ([]vpn.Server, error) {
	return findAll(ctx, s.c.coll(colVPNServers), bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}),
		vpnServerDoc.server, "list vpn servers")
}

// SetServerEnabled implements ports.VPNStore.
func (s *VPNStore) SetServerEnabled(ctx context.Context, id int64, enabled bool) error {
	res, err := s.c.coll(colVPNServers).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "enabled", Value: enabled}}}})
	if err != nil {
		return dbErr("switch vpn server", err)
	}
	if res.MatchedCount == 0 {
		return vpn.ServerNotFound()
	}
	return nil
}

// SaveSubscription implements ports.VPNStore.
func (s *VPNStore) SaveSubscription(ctx context.Context, sub vpn.Subscription) error {
	unlock := s.c.locks.docs.lock(colVPNSubscriptions + "/" + sub.UserID)
	defer unlock()
	_, err := s.c.coll(colVPNSubscriptions).ReplaceOne(ctx, bson.D{{Key: "_id", Value: sub.UserID}},
		toVPNSubscriptionDoc(sub), options.Replace().SetUpsert(true))
	if err != nil {
		return dbErr("save vpn subscription", err)
	}
	return nil
}

// Subscription implements ports.VPNStore.
func (s *VPNStore) Subscription(ctx context.Context, userID string) (vpn.Subscription, error) {
	var d vpnSubscriptionDoc
	err := s.c.coll(colVPNSubscriptions).FindOne(ctx, bson.D{{Key: "_id", Value: userID}}).Decode(&d)
	if notFound(err) {
		return vpn.Subscription{}, vpn.SubscriptionNotFound()
	}
	if err != nil {
		return vpn.Subscription{}, dbErr("find vpn subscription", err)
	}
	return d.subscription(), nil
}

// UnsettledSubscriptions implements ports.VPNStore. Only unsettled
// subscriptions are read (the settled_at index), and of those the active
// ones are few: the others are ended by definition.
func (s *VPNStore) UnsettledSubscriptions(ctx context.Context, now time.Time, limit int) ([]vpn.Subscription, error) {
	if limit < 1 {
		return nil, vpn.LimitInvalid()
	}
	filter := bson.D{
		{Key: "settled_at", Value: nil},
		{Key: "$or", Value: bson.A{
			bson.D{{Key: "status", Value: bson.D{{Key: "$ne", Value: string(vpn.StatusActive)}}}},
			bson.D{{Key: "expires_at", Value: bson.D{{Key: "$lte", Value: toDBTime(now)}}}},
		}},
	}
	opts := options.Find().SetSort(bson.D{{Key: "expires_at", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(int64(limit))
	return findAll(ctx, s.c.coll(colVPNSubscriptions), filter, opts, vpnSubscriptionDoc.subscription, "list unsettled vpn subscriptions")
}

// SettleSubscription implements ports.VPNStore with one conditional update.
func (s *VPNStore) SettleSubscription(ctx context.Context, userID string, updatedAt, at time.Time) (bool, error) {
	unlock := s.c.locks.docs.lock(colVPNSubscriptions + "/" + userID)
	defer unlock()
	res, err := s.c.coll(colVPNSubscriptions).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: userID}, {Key: "updated_at", Value: toDBTime(updatedAt)}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "settled_at", Value: toDBTime(at)}}}})
	if err != nil {
		return false, dbErr("settle vpn subscription", err)
	}
	if res.MatchedCount == 1 {
		return true, nil
	}
	if _, err := s.Subscription(ctx, userID); err != nil {
		return false, err
	}
	return false, nil
}

// SaveLink implements ports.VPNStore: the user's old link goes, then the
// new one is inserted; the unique user_id index turns a concurrent save of
// the same user into a retry.
func (s *VPNStore) SaveLink(ctx context.Context, l vpn.SubscriptionLink) error {
	unlock := s.c.locks.docs.lock(colVPNLinks + "/" + l.UserID)
	defer unlock()
	for range numberAttempts {
		holder, err := s.LinkByHash(ctx, l.TokenHash)
		switch {
		case err == nil && holder.UserID != l.UserID:
			return vpn.LinkTaken()
		case err != nil && fault.ReasonOf(err) != vpn.ReasonLinkNotFound:
			return err
		}
		if err := s.DeleteLink(ctx, l.UserID); err != nil {
			return err
		}
		_, err = s.c.coll(colVPNLinks).InsertOne(ctx, vpnLinkDoc{TokenHash: l.TokenHash, UserID: l.UserID, CreatedAt: toDBTime(l.CreatedAt)})
		if mongo.IsDuplicateKeyError(err) {
			continue
		}
		if err != nil {
			return dbErr("insert vpn link", err)
		}
		return nil
	}
	return fmt.Errorf("mongostore: save vpn link: still contended after %d attempts", numberAttempts)
}

// LinkByHash implements ports.VPNStore.
func (s *VPNStore) LinkByHash(ctx context.Context, hash string) (vpn.SubscriptionLink, error) {
	var d vpnLinkDoc
	err := s.c.coll(colVPNLinks).FindOne(ctx, bson.D{{Key: "_id", Value: hash}}).Decode(&d)
	if notFound(err) {
		return vpn.SubscriptionLink{}, vpn.LinkNotFound()
	}
	if err != nil {
		return vpn.SubscriptionLink{}, dbErr("find vpn link", err)
	}
	return d.link(), nil
}

// DeleteLink implements ports.VPNStore.
func (s *VPNStore) DeleteLink(ctx context.Context, userID string) error {
	if _, err := s.c.coll(colVPNLinks).DeleteMany(ctx, bson.D{{Key: "user_id", Value: userID}}); err != nil {
		return dbErr("delete vpn link", err)
	}
	return nil
}

// DeleteVPNUser implements ports.VPNStore. Addresses go first and the
// subscription last, so an interrupted deletion is finished by running it
// again.
func (s *VPNStore) DeleteVPNUser(ctx context.Context, userID string) error {
	keyIDs, err := findAll(ctx, s.c.coll(colVPNKeys), bson.D{{Key: "user_id", Value: userID}},
		options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}),
		func(d vpnKeyDoc) string { return d.ID }, "list vpn keys of user")
	if err != nil {
		return err
	}
	steps := []struct {
		coll   string
		filter bson.D
	}{
		{colVPNAddresses, bson.D{{Key: "key_id", Value: bson.D{{Key: "$in", Value: keyIDs}}}}},
		{colVPNKeys, bson.D{{Key: "user_id", Value: userID}}},
		{colVPNDevices, bson.D{{Key: "user_id", Value: userID}}},
		{colVPNLinks, bson.D{{Key: "user_id", Value: userID}}},
		{colVPNSubscriptions, bson.D{{Key: "_id", Value: userID}}},
	}
	for _, st := range steps {
		if _, err := s.c.coll(st.coll).DeleteMany(ctx, st.filter); err != nil {
			return dbErr("delete vpn user from "+st.coll, err)
		}
	}
	return nil
}
