package mongostore

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// UserStore keeps accounts in colUsers, their handles' claims in
// colUserHandles and the Number sequence in colUserNumbers.
type UserStore struct {
	c *Client
}

var _ ports.UserStore = (*UserStore)(nil)

// NewUserStore returns the user store of c.
func NewUserStore(c *Client) *UserStore { return &UserStore{c: c} }

func errUserNotFound() error {
	return identity.UserNotFound()
}

// Create implements ports.UserStore: it claims u's handles, then a Number,
// then inserts the user, undoing its claims when a later step fails.
func (s *UserStore) Create(ctx context.Context, u identity.User) (identity.User, error) {
	if u.ID == "" {
		return identity.User{}, fault.Invalidf("id", "required", "A user ID is required.")
	}
	unlock := s.c.locks.users.lock(u.ID)
	defer unlock()

	if _, err := s.find(ctx, bson.D{{Key: "_id", Value: u.ID}}); err == nil {
		return identity.User{}, errIDTaken()
	} else if fault.CodeOf(err) != fault.NotFound {
		return identity.User{}, err
	}
	claimed, err := s.claimAll(ctx, handlesOf(u), u.ID)
	if err != nil {
		return identity.User{}, err
	}
	doc := toUserDoc(u)
	doc.Version = 1
	if err := s.insertNumbered(ctx, &doc); err != nil {
		return identity.User{}, errors.Join(err, s.releaseAll(ctx, claimed, u.ID))
	}
	return doc.user(), nil
}

func errIDTaken() error {
	return identity.IDTaken()
}

// ByID implements ports.UserStore.
func (s *UserStore) ByID(ctx context.Context, id string) (identity.User, error) {
	return s.find(ctx, bson.D{{Key: "_id", Value: id}})
}

// ByNumber implements ports.UserStore.
func (s *UserStore) ByNumber(ctx context.Context, n int64) (identity.User, error) {
	return s.find(ctx, bson.D{{Key: "number", Value: n}})
}

// ByLogin implements ports.UserStore.
func (s *UserStore) ByLogin(ctx context.Context, login string) (identity.User, error) {
	return s.findHandle(ctx, "login", login)
}

// ByEmail implements ports.UserStore.
func (s *UserStore) ByEmail(ctx context.Context, email string) (identity.User, error) {
	return s.findHandle(ctx, "email", email)
}

// ByPhone implements ports.UserStore.
func (s *UserStore) ByPhone(ctx context.Context, phone string) (identity.User, error) {
	return s.findHandle(ctx, "phone", phone)
}

// ByTelegramID implements ports.UserStore. Zero is every unlinked user's
// value, so it finds nobody.
func (s *UserStore) ByTelegramID(ctx context.Context, id int64) (identity.User, error) {
	if id == 0 {
		return identity.User{}, errUserNotFound()
	}
	return s.find(ctx, bson.D{{Key: "telegram_id", Value: id}})
}

// findHandle finds by one handle field; the empty handle finds nobody, as
// many users store it.
func (s *UserStore) findHandle(ctx context.Context, field, value string) (identity.User, error) {
	if value == "" {
		return identity.User{}, errUserNotFound()
	}
	return s.find(ctx, bson.D{{Key: field, Value: value}})
}

func (s *UserStore) find(ctx context.Context, filter bson.D) (identity.User, error) {
	var d userDoc
	err := s.c.coll(colUsers).FindOne(ctx, filter).Decode(&d)
	if notFound(err) {
		return identity.User{}, errUserNotFound()
	}
	if err != nil {
		return identity.User{}, dbErr("find user", err)
	}
	return d.user(), nil
}

// List implements ports.UserStore.
func (s *UserStore) List(ctx context.Context, offset, limit int) ([]identity.User, error) {
	if limit <= 0 {
		return nil, nil // the driver reads a zero limit as "no limit"
	}
	opts := options.Find().
		SetSort(bson.D{{Key: "number", Value: 1}}).
		SetSkip(int64(max(offset, 0))).
		SetLimit(int64(limit))
	cur, err := s.c.coll(colUsers).Find(ctx, bson.D{}, opts)
	if err != nil {
		return nil, dbErr("list users", err)
	}
	var docs []userDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, dbErr("list users", err)
	}
	users := make([]identity.User, 0, len(docs))
	for _, d := range docs {
		users = append(users, d.user())
	}
	return users, nil
}

// Delete implements ports.UserStore. Its Number stays claimed, so it is
// never given to another user.
func (s *UserStore) Delete(ctx context.Context, id string) error {
	unlock := s.c.locks.users.lock(id)
	defer unlock()

	u, err := s.ByID(ctx, id)
	if err != nil {
		return err
	}
	res, err := s.c.coll(colUsers).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return dbErr("delete user", err)
	}
	if res.DeletedCount == 0 {
		return errUserNotFound()
	}
	if err := s.releaseAll(ctx, handlesOf(u), id); err != nil {
		return fmt.Errorf("mongostore: user %s deleted, but: %w", id, err)
	}
	return nil
}
