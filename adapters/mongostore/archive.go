package mongostore

import (
	"context"
	"fmt"
	"strconv"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"gatehouse/core/fault"
	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// Archive reads and writes the whole database for `gatehouse storage copy`.
// Handle claims (colUserHandles) are not a collection of their own: they
// follow the users put.
type Archive struct {
	c     *Client
	users *UserStore
}

var _ ports.Archive = (*Archive)(nil)

// NewArchive returns the archive of c.
func NewArchive(c *Client) *Archive { return &Archive{c: c, users: NewUserStore(c)} }

// archived maps one collection onto its documents.
type archived struct {
	name   string
	intKey bool
	decode func(raw bson.Raw) (ports.Record, error)
	doc    func(r ports.Record) any
}

// decodeAs decodes raw into a D and maps it to a record.
func decodeAs[D any](f func(D) ports.Record) func(bson.Raw) (ports.Record, error) {
	return func(raw bson.Raw) (ports.Record, error) {
		var d D
		if err := bson.Unmarshal(raw, &d); err != nil {
			return ports.Record{}, err
		}
		return f(d), nil
	}
}

func archivedOf(c ports.Collection) (archived, error) {
	m := map[ports.Collection]archived{
		ports.CollUsers: {colUsers, false,
			decodeAs(func(d userDoc) ports.Record { return ports.Record{Key: d.ID, User: d.user()} }),
			func(r ports.Record) any { return toUserDoc(r.User) }},
		ports.CollUserNumbers: {colUserNumbers, true,
			decodeAs(func(d numberDoc) ports.Record {
				return ports.Record{Key: strconv.FormatInt(d.Number, 10), Number: ports.UserNumber{Number: d.Number, UserID: d.UserID}}
			}),
			func(r ports.Record) any { return numberDoc{Number: r.Number.Number, UserID: r.Number.UserID} }},
		ports.CollFamilies: {colFamilies, false,
			decodeAs(func(d familyDoc) ports.Record { return ports.Record{Key: d.ID, Family: d.family()} }),
			func(r ports.Record) any { return toFamilyDoc(r.Family) }},
		ports.CollRefreshTokens: {colRefresh, false,
			decodeAs(func(d refreshDoc) ports.Record { return ports.Record{Key: d.Hash, Refresh: d.token()} }),
			func(r ports.Record) any { return toRefreshDoc(r.Refresh) }},
		ports.CollRefreshUses: {colRefreshUses, false,
			decodeAs(func(d refreshUseDoc) ports.Record {
				return ports.Record{Key: d.Hash, Use: ports.Use{UserID: d.UserID, At: fromDBTime(d.UsedAt)}}
			}),
			func(r ports.Record) any {
				return refreshUseDoc{Hash: r.Key, UserID: r.Use.UserID, UsedAt: toDBTime(r.Use.At)}
			}},
		ports.CollDevices: {colDevices, false,
			decodeAs(func(d deviceDoc) ports.Record { return ports.Record{Key: d.ID, Device: d.device()} }),
			func(r ports.Record) any { return toDeviceDoc(r.Device) }},
		ports.CollSigningKeys: {colKeys, false,
			decodeAs(func(d keyDoc) ports.Record { return ports.Record{Key: d.ID, SigningKey: d.key()} }),
			func(r ports.Record) any { return toKeyDoc(r.SigningKey) }},
		ports.CollChallenges: {colChallenges, false,
			decodeAs(func(d challengeDoc) ports.Record { return ports.Record{Key: d.ID, Challenge: d.challenge()} }),
			func(r ports.Record) any { return toChallengeDoc(r.Challenge) }},
		ports.CollChallengeUses: {colChalUses, false,
			decodeAs(func(d challengeUseDoc) ports.Record {
				return ports.Record{Key: d.ID, Use: ports.Use{ExpiresAt: fromDBTime(d.ExpiresAt)}}
			}),
			func(r ports.Record) any { return challengeUseDoc{ID: r.Key, ExpiresAt: toDBTime(r.Use.ExpiresAt)} }},
		ports.CollLinks: {colLinks, false,
			decodeAs(func(d linkDoc) ports.Record { return ports.Record{Key: d.ID, Link: d.link()} }),
			func(r ports.Record) any { return toLinkDoc(r.Link) }},
	}
	a, ok := m[c]
	if !ok {
		return archived{}, fault.New(fault.Invalid, "storage.collection_unknown", fmt.Sprintf("No collection %q.", c))
	}
	return a, nil
}

// key is r's _id as stored: a Number is an integer.
func (a archived) key(s string) (any, error) {
	if !a.intKey {
		return s, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, fault.Wrap(err, fault.Invalid, "storage.key_invalid", "A number key is expected.")
	}
	return n, nil
}

// Count implements ports.Archive.
func (a *Archive) Count(ctx context.Context, c ports.Collection) (int64, error) {
	ac, err := archivedOf(c)
	if err != nil {
		return 0, err
	}
	n, err := a.c.coll(ac.name).CountDocuments(ctx, bson.D{})
	if err != nil {
		return 0, dbErr("count "+ac.name, err)
	}
	return n, nil
}

// Scan implements ports.Archive, in _id order.
func (a *Archive) Scan(ctx context.Context, c ports.Collection, after string, limit int) ([]ports.Record, error) {
	ac, err := archivedOf(c)
	if err != nil {
		return nil, err
	}
	filter := bson.D{}
	if after != "" {
		k, err := ac.key(after)
		if err != nil {
			return nil, err
		}
		filter = bson.D{{Key: "_id", Value: bson.D{{Key: "$gt", Value: k}}}}
	}
	cur, err := a.c.coll(ac.name).Find(ctx, filter,
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, dbErr("scan "+ac.name, err)
	}
	defer cur.Close(ctx)
	var rs []ports.Record
	for cur.Next(ctx) {
		r, err := ac.decode(cur.Current)
		if err != nil {
			return nil, fmt.Errorf("mongostore: decode %s: %w", ac.name, err)
		}
		rs = append(rs, r)
	}
	if err := cur.Err(); err != nil {
		return nil, dbErr("scan "+ac.name, err)
	}
	return rs, nil
}

// Put implements ports.Archive with one upsert per record. A user's
// handles are claimed before it is written and the ones it no longer shows
// released after, as Update does.
func (a *Archive) Put(ctx context.Context, c ports.Collection, rs []ports.Record) error {
	ac, err := archivedOf(c)
	if err != nil {
		return err
	}
	for _, r := range rs {
		if c == ports.CollUsers {
			err = a.putUser(ctx, r)
		} else {
			err = a.replace(ctx, ac, r.Key, ac.doc(r))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (a *Archive) replace(ctx context.Context, ac archived, key string, doc any) error {
	k, err := ac.key(key)
	if err != nil {
		return err
	}
	_, err = a.c.coll(ac.name).ReplaceOne(ctx, bson.D{{Key: "_id", Value: k}}, doc, options.Replace().SetUpsert(true))
	if mongo.IsDuplicateKeyError(err) {
		return fault.Wrap(err, fault.Conflict, "storage.key_taken", fmt.Sprintf("%s %s clashes with a stored document.", ac.name, key))
	}
	if err != nil {
		return dbErr("put "+ac.name, err)
	}
	return nil
}

func (a *Archive) putUser(ctx context.Context, r ports.Record) error {
	unlock := a.c.locks.users.lock(r.User.ID)
	defer unlock()
	var prev []handle
	if cur, err := a.users.ByID(ctx, r.User.ID); err == nil {
		prev = handlesOf(cur)
	} else if fault.CodeOf(err) != fault.NotFound {
		return err
	}
	next := handlesOf(r.User)
	if _, err := a.users.claimAll(ctx, next, r.User.ID); err != nil {
		return err
	}
	ac, _ := archivedOf(ports.CollUsers)
	if err := a.replace(ctx, ac, r.Key, toUserDoc(r.User)); err != nil {
		return err
	}
	_, lost := handleChanges(prev, next)
	return a.users.releaseAll(ctx, lost, r.User.ID)
}

// key returns the domain key of d.
func (d keyDoc) key() sessions.SigningKey {
	return sessions.SigningKey{
		ID: d.ID, Algorithm: d.Algorithm, Generation: d.Generation, PrivatePEM: d.PrivatePEM, PublicPEM: d.PublicPEM,
		CreatedAt: fromDBTime(d.CreatedAt), RetiredAt: fromDBTime(d.RetiredAt), NotAfter: fromDBTime(d.NotAfter),
	}
}

func toKeyDoc(k sessions.SigningKey) keyDoc {
	return keyDoc{
		ID: k.ID, Algorithm: k.Algorithm, Generation: k.Generation, PrivatePEM: k.PrivatePEM, PublicPEM: k.PublicPEM,
		CreatedAt: toDBTime(k.CreatedAt), RetiredAt: toDBTime(k.RetiredAt), NotAfter: toDBTime(k.NotAfter),
	}
}
