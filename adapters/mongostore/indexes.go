package mongostore

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// index is one index a collection needs.
type index struct {
	coll   string
	field  string
	unique bool
}

// indexes lists every index beside _id. Uniqueness of handles, refresh
// hashes and single uses rests on _id claims instead, so that no unique
// index has to ignore missing or empty values (FerretDB's partial and sparse
// indexes cannot be relied on); a link's alias is never empty, so it has a
// plain unique index. expires_at indexes serve pruning, not TTL; revoked_at
// serves the revocation feed (RevokedSince).
func indexes() []index {
	ix := []index{
		{colUsers, "number", true},
		{colUsers, "login", false},
		{colUsers, "email", false},
		{colUsers, "phone", false},
		{colUsers, "telegram_id", false},
		{colUserHandles, "user_id", false},
		{colFamilies, "user_id", false},
		{colFamilies, "revoked_at", false},
		{colRefresh, "user_id", false},
		{colRefreshUses, "user_id", false},
		{colDevices, "user_id", false},
		{colKeys, "generation", true},
		{colChallenges, "user_id", false},
		{colChallenges, "target", false},
		{colChallenges, "expires_at", false},
		{colChalUses, "expires_at", false},
		{colLinks, "alias", true},
		{colLinks, "owner_id", false},
	}
	return append(ix, vpnIndexes()...)
}

// ensureIndexes creates the indexes; creating an existing one is a no-op.
func (c *Client) ensureIndexes(ctx context.Context) error {
	for _, ix := range indexes() {
		model := mongo.IndexModel{
			Keys:    bson.D{{Key: ix.field, Value: 1}},
			Options: options.Index().SetUnique(ix.unique),
		}
		if _, err := c.coll(ix.coll).Indexes().CreateOne(ctx, model); err != nil {
			return dbErr(fmt.Sprintf("create index %s.%s", ix.coll, ix.field), err)
		}
	}
	return nil
}
