package mongostore

import (
	"context"
	"errors"
	"maps"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"gatehouse/core/fault"
	"gatehouse/core/links"
	"gatehouse/ports"
)

// LinkStore keeps short links in colLinks. A unique index on alias makes
// of concurrent claims of one alias exactly one succeed, on both engines
// (aliases are never empty, so a plain unique index serves).
type LinkStore struct {
	c *Client
}

var _ ports.LinkStore = (*LinkStore)(nil)

// NewLinkStore returns the link store of c.
func NewLinkStore(c *Client) *LinkStore { return &LinkStore{c: c} }

// CreateLink implements ports.LinkStore. A duplicate key is either the ID
// or the alias; FerretDB does not say which index refused it, so the ID is
// looked up.
func (s *LinkStore) CreateLink(ctx context.Context, l links.Link) error {
	_, err := s.c.coll(colLinks).InsertOne(ctx, toLinkDoc(l))
	if err == nil {
		return nil
	}
	if !mongo.IsDuplicateKeyError(err) {
		return dbErr("insert link", err)
	}
	if _, ferr := s.LinkByID(ctx, l.ID); ferr == nil {
		return links.IDTaken()
	} else if fault.CodeOf(ferr) != fault.NotFound {
		return errors.Join(dbErr("insert link", err), ferr)
	}
	return links.AliasTaken()
}

// LinkByID implements ports.LinkStore.
func (s *LinkStore) LinkByID(ctx context.Context, id string) (links.Link, error) {
	return s.find(ctx, bson.D{{Key: "_id", Value: id}})
}

// LinkByAlias implements ports.LinkStore.
func (s *LinkStore) LinkByAlias(ctx context.Context, alias string) (links.Link, error) {
	return s.find(ctx, bson.D{{Key: "alias", Value: alias}})
}

func (s *LinkStore) find(ctx context.Context, filter bson.D) (links.Link, error) {
	var d linkDoc
	err := s.c.coll(colLinks).FindOne(ctx, filter).Decode(&d)
	if notFound(err) {
		return links.Link{}, links.NotFound()
	}
	if err != nil {
		return links.Link{}, dbErr("find link", err)
	}
	return d.link(), nil
}

// UpdateLink implements ports.LinkStore with one $set, under the link's
// lock because FerretDB rewrites the whole document and would otherwise
// lose redirects added meanwhile.
func (s *LinkStore) UpdateLink(ctx context.Context, l links.Link) error {
	unlock := s.c.locks.docs.lock(colLinks + "/" + l.ID)
	defer unlock()

	res, err := s.c.coll(colLinks).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: l.ID}},
		bson.D{{Key: "$set", Value: bson.D{
			{Key: "alias", Value: l.Alias},
			{Key: "target", Value: l.Target},
			{Key: "expires_at", Value: toDBTime(l.ExpiresAt)},
			{Key: "max_redirects", Value: l.MaxRedirects},
			{Key: "updated_at", Value: toDBTime(l.UpdatedAt)},
		}}})
	if err != nil {
		return s.updateError(ctx, l, err)
	}
	if res.MatchedCount == 0 {
		return links.NotFound()
	}
	return nil
}

// updateError classifies a failed UpdateLink. MongoDB reports a taken
// alias as a duplicate key; FerretDB's SQLite backend reports the unique
// index refusing an update as an unclassified error, so there another
// link holding the alias is what tells.
func (s *LinkStore) updateError(ctx context.Context, l links.Link, err error) error {
	if mongo.IsDuplicateKeyError(err) {
		return links.AliasTaken()
	}
	holder, ferr := s.LinkByAlias(ctx, l.Alias)
	switch {
	case ferr == nil && holder.ID != l.ID:
		return links.AliasTaken()
	case ferr != nil && fault.CodeOf(ferr) != fault.NotFound:
		return errors.Join(dbErr("update link", err), ferr)
	}
	return dbErr("update link", err)
}

// DeleteLink implements ports.LinkStore.
func (s *LinkStore) DeleteLink(ctx context.Context, id string) error {
	res, err := s.c.coll(colLinks).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return dbErr("delete link", err)
	}
	if res.DeletedCount == 0 {
		return links.NotFound()
	}
	return nil
}

// LinksByOwner implements ports.LinkStore.
func (s *LinkStore) LinksByOwner(ctx context.Context, ownerID string) ([]links.Link, error) {
	opts := options.Find().SetSort(bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: 1}})
	cur, err := s.c.coll(colLinks).Find(ctx, bson.D{{Key: "owner_id", Value: ownerID}}, opts)
	if err != nil {
		return nil, dbErr("list links", err)
	}
	var docs []linkDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, dbErr("list links", err)
	}
	ls := make([]links.Link, 0, len(docs))
	for _, d := range docs {
		ls = append(ls, d.link())
	}
	return ls, nil
}

// DeleteLinksByOwner implements ports.LinkStore.
func (s *LinkStore) DeleteLinksByOwner(ctx context.Context, ownerID string) (int, error) {
	res, err := s.c.coll(colLinks).DeleteMany(ctx, bson.D{{Key: "owner_id", Value: ownerID}})
	if err != nil {
		return 0, dbErr("delete owner's links", err)
	}
	return int(res.DeletedCount), nil
}

// AddRedirects implements ports.LinkStore with one $inc per link, each
// atomic on MongoDB; FerretDB loses concurrent $inc updates, so under
// Options.Serialize each link's lock makes them one at a time. MongoDB has
// no transaction here: on a failure the counts not yet added are returned.
func (s *LinkStore) AddRedirects(ctx context.Context, counts map[string]int64) (map[string]int64, error) {
	done := make([]string, 0, len(counts))
	for id, n := range counts {
		if n != 0 {
			if err := s.addRedirects(ctx, id, n); err != nil {
				unapplied := maps.Clone(counts)
				for _, d := range done {
					delete(unapplied, d)
				}
				return unapplied, err
			}
		}
		done = append(done, id)
	}
	return nil, nil
}

func (s *LinkStore) addRedirects(ctx context.Context, id string, n int64) error {
	unlock := s.c.locks.docs.lock(colLinks + "/" + id)
	defer unlock()
	_, err := s.c.coll(colLinks).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "redirects", Value: n}}}})
	if err != nil {
		return dbErr("add redirects", err)
	}
	return nil
}

// TakeRedirect implements ports.LinkStore as compare-and-set: read the
// count, then $inc it only where it is still the count read, and read
// again when another writer came first. The filter makes it atomic on
// MongoDB; on the embedded server the document lock serializes it as well.
// (FerretDB has no $expr, so "redirects < max_redirects" cannot be a filter.)
func (s *LinkStore) TakeRedirect(ctx context.Context, id string) (links.Link, bool, error) {
	unlock := s.c.locks.docs.lock(colLinks + "/" + id)
	defer unlock()

	for {
		l, err := s.LinkByID(ctx, id)
		if err != nil {
			return links.Link{}, false, err
		}
		if l.MaxRedirects > 0 && l.Redirects >= l.MaxRedirects {
			return l, false, nil
		}
		res, err := s.c.coll(colLinks).UpdateOne(ctx,
			bson.D{{Key: "_id", Value: id}, {Key: "redirects", Value: l.Redirects}},
			bson.D{{Key: "$inc", Value: bson.D{{Key: "redirects", Value: 1}}}})
		if err != nil {
			return links.Link{}, false, dbErr("take redirect", err)
		}
		if res.MatchedCount == 1 {
			l.Redirects++
			return l, true, nil
		}
		if err := ctx.Err(); err != nil {
			return links.Link{}, false, dbErr("take redirect", err)
		}
	}
}
