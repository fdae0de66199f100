// Package mongostore keeps gatehouse's users, sessions, signing keys,
// one-time challenges and short links in MongoDB, or in anything that
// speaks its wire protocol well enough: it is written for MongoDB 6/7 and
// for the embedded FerretDB (package embedded).
//
// Every write is a single-document operation; no multi-document
// transactions and no TTL indexes are used (expiry is the callers' rule;
// long-expired challenges are pruned in code). Uniqueness and single use
// are claimed by inserting under a unique key, which is atomic on both
// engines. FerretDB does not make read-modify-write
// atomic, so with Options.Serialize the Client serializes its own
// read-modify-write steps in-process, striped by document key: right for
// the embedded server, which is one process by construction.
package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// DefaultDatabase is the database used when Options.Database is empty.
const DefaultDatabase = "gatehouse"

// defaultConnectTimeout bounds connecting and Start's ping when
// Options.ConnectTimeout is not set.
const defaultConnectTimeout = 10 * time.Second

// Collection names.
const (
	colUsers       = "users"
	colUserNumbers = "user_numbers" // {_id: Number}: claimed once, never reused
	colUserHandles = "user_handles" // {_id: "email:<value>"}: who holds a handle
	colFamilies    = "session_families"
	colRefresh     = "refresh_tokens"
	colRefreshUses = "refresh_uses" // {_id: hash}: a token's single use
	colDevices     = "devices"
	colKeys        = "signing_keys"
	colChallenges  = "challenges"
	colChalUses    = "challenge_uses" // {_id: challenge ID}: its single use
	colLinks       = "links"
	colHealth      = "health" // the readiness write probe's one document
)

// Options configure a Client.
type Options struct {
	// URI is the MongoDB connection string.
	URI string
	// Database is the database name; DefaultDatabase when empty.
	Database string
	// Serialize makes the Client serialize its read-modify-write operations
	// in-process. Set it for the embedded FerretDB, and only with one Client
	// per database in the process.
	Serialize bool
	// ConnectTimeout bounds connecting and Start's ping; 10s when zero.
	ConnectTimeout time.Duration
}

// Client is a connection to one database, shared by the stores made from it.
type Client struct {
	mc             *mongo.Client
	db             *mongo.Database
	locks          locks
	connectTimeout time.Duration
}

// New returns a Client for o without waiting for the server: the driver
// connects lazily, so New succeeds while the server is still down (the
// embedded one starts later). Start checks the server and prepares it.
// For a mongodb+srv URI, the driver resolves the SRV record here.
func New(o Options) (*Client, error) {
	if o.URI == "" {
		return nil, errors.New("mongostore: new client: URI is empty")
	}
	if o.Database == "" {
		o.Database = DefaultDatabase
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = defaultConnectTimeout
	}
	mc, err := mongo.Connect(options.Client().
		ApplyURI(o.URI).
		SetConnectTimeout(o.ConnectTimeout).
		SetServerSelectionTimeout(o.ConnectTimeout))
	if err != nil {
		return nil, fmt.Errorf("mongostore: new client: %w", err)
	}
	return &Client{mc: mc, db: mc.Database(o.Database), locks: newLocks(o.Serialize), connectTimeout: o.ConnectTimeout}, nil
}

// Start pings the server, within Options.ConnectTimeout, and creates the
// indexes the stores rely on. A failed Start closes the Client, which is
// then of no further use.
func (c *Client) Start(ctx context.Context) error {
	pingCtx, cancel := context.WithTimeout(ctx, c.connectTimeout)
	defer cancel()
	if err := c.Ping(pingCtx); err != nil {
		return errors.Join(err, c.Close(context.WithoutCancel(ctx)))
	}
	if err := c.ensureIndexes(ctx); err != nil {
		return errors.Join(err, c.Close(context.WithoutCancel(ctx)))
	}
	return nil
}

// Connect is New followed by Start, for callers that need no separate phases.
func Connect(ctx context.Context, o Options) (*Client, error) {
	c, err := New(o)
	if err != nil {
		return nil, err
	}
	if err := c.Start(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// Close disconnects the client.
func (c *Client) Close(ctx context.Context) error {
	if err := c.mc.Disconnect(ctx); err != nil {
		return fmt.Errorf("mongostore: disconnect: %w", err)
	}
	return nil
}

// Ping returns nil when the database answers.
func (c *Client) Ping(ctx context.Context) error {
	if err := c.mc.Ping(ctx, nil); err != nil {
		return dbErr(fmt.Sprintf("ping database %q", c.db.Name()), err)
	}
	return nil
}

// Probe writes one small document, so readiness sees a database that
// answers pings but refuses writes (a full disk, a read-only node).
func (c *Client) Probe(ctx context.Context) error {
	_, err := c.coll(colHealth).UpdateOne(ctx, bson.D{{Key: "_id", Value: "probe"}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "at", Value: time.Now().UTC()}}}},
		options.UpdateOne().SetUpsert(true))
	if err != nil {
		return dbErr("write probe", err)
	}
	return nil
}

func (c *Client) coll(name string) *mongo.Collection { return c.db.Collection(name) }
