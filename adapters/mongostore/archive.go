package mongostore

import (
	"context"
	"fmt"
	"maps"
	"strconv"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"gatehouse/core/fault"
	"gatehouse/ports"
)

// Archive reads and writes the whole database for `gatehouse storage copy`.
// Every collection is archived but these, which the Archive rebuilds:
//   - colUserHandles: the claims of the users' handles, made by each user
//     put as Update makes them;
//   - colRevocations: the revocation stamp, written anew after each put of
//     families, so no serving replica answers RevokedSince from an old scan;
//   - colVPNDeviceNumbers: carried as the vpn_devices sequence; each device
//     put claims its own ID there too;
//   - colHealth: the readiness probe's document, written at every check.
type Archive struct {
	c        *Client
	users    *UserStore
	sessions *SessionStore
}

var _ ports.Archive = (*Archive)(nil)

// NewArchive returns the archive of c.
func NewArchive(c *Client) *Archive {
	return &Archive{c: c, users: NewUserStore(c), sessions: NewSessionStore(c)}
}

// archived maps one collection onto its documents.
type archived struct {
	name   string
	intKey bool
	decode func(raw bson.Raw) (ports.Record, error)
	doc    func(r ports.Record) any
	// put writes one record; nil: replace the document with its _id.
	put func(ctx context.Context, a *Archive, r ports.Record) error
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
	m := identityArchived()
	maps.Copy(m, vpnArchived())
	a, ok := m[c]
	if !ok {
		return archived{}, ports.CollectionUnknown(c)
	}
	return a, nil
}

// key is r's _id as stored: a Number or a server or device ID is an integer.
func (a archived) key(c ports.Collection, s string) (any, error) {
	if !a.intKey {
		return s, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, ports.KeyInvalid(c, s, err)
	}
	return n, nil
}

// Count implements ports.Archive.
func (a *Archive) Count(ctx context.Context, c ports.Collection) (int64, error) {
	if c == ports.CollSequences {
		return a.countSequences(ctx)
	}
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
	if c == ports.CollSequences {
		return a.scanSequences(ctx, after, limit)
	}
	ac, err := archivedOf(c)
	if err != nil {
		return nil, err
	}
	filter := bson.D{}
	if after != "" {
		k, err := ac.key(c, after)
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

// Put implements ports.Archive with one write per record.
func (a *Archive) Put(ctx context.Context, c ports.Collection, rs []ports.Record) error {
	if c == ports.CollSequences {
		return a.putSequences(ctx, rs)
	}
	ac, err := archivedOf(c)
	if err != nil {
		return err
	}
	for _, r := range rs {
		if ac.put != nil {
			err = ac.put(ctx, a, r)
		} else {
			err = a.replace(ctx, c, ac, r.Key, ac.doc(r))
		}
		if err != nil {
			return err
		}
	}
	if c == ports.CollFamilies && len(rs) > 0 {
		return a.sessions.restamp(ctx)
	}
	return nil
}

// replace writes doc over the document with key, or inserts it.
func (a *Archive) replace(ctx context.Context, c ports.Collection, ac archived, key string, doc any) error {
	k, err := ac.key(c, key)
	if err != nil {
		return err
	}
	_, err = a.c.coll(ac.name).ReplaceOne(ctx, bson.D{{Key: "_id", Value: k}}, doc, options.Replace().SetUpsert(true))
	if mongo.IsDuplicateKeyError(err) {
		return ports.KeyTaken(c, key, "a unique index", err)
	}
	if err != nil {
		return dbErr("put "+ac.name, err)
	}
	return nil
}

// putUser claims a user's handles before it is written and releases the
// ones it no longer shows after, as Update does.
func putUser(ctx context.Context, a *Archive, r ports.Record) error {
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
	ac := archived{name: colUsers}
	if err := a.replace(ctx, ports.CollUsers, ac, r.Key, toUserDoc(r.User)); err != nil {
		return err
	}
	_, lost := handleChanges(prev, next)
	return a.users.releaseAll(ctx, lost, r.User.ID)
}
