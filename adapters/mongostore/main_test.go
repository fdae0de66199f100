package mongostore_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"gatehouse/adapters/mongostore"
	"gatehouse/adapters/mongostore/embedded"
)

// target is the server every test of this binary uses: the MongoDB of
// GATEHOUSE_TEST_MONGO_URI, or one embedded FerretDB.
type target struct {
	uri       string
	serialize bool
	admin     *mongo.Client // drops the tests' databases
	dbSeq     atomic.Int64
}

// srv is set once by TestMain before any test runs.
var srv target

func TestMain(m *testing.M) { os.Exit(runMain(m)) }

func runMain(m *testing.M) int {
	ctx := context.Background()
	srv.uri = os.Getenv("GATEHOUSE_TEST_MONGO_URI")
	if srv.uri == "" {
		// os.MkdirTemp rather than a longer per-test dir: the socket path
		// must stay short.
		dir, err := os.MkdirTemp("", "mongostore")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		s, err := embedded.New(embedded.Options{Dir: dir})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if err := s.Start(ctx); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer func() {
			stopCtx, cancel := context.WithTimeout(ctx, time.Minute)
			defer cancel()
			if err := s.Stop(stopCtx); err != nil {
				fmt.Fprintln(os.Stderr, err)
			}
		}()
		srv.uri, srv.serialize = s.URI(), true
	}
	admin, err := mongo.Connect(options.Client().ApplyURI(srv.uri))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	srv.admin = admin
	defer func() { _ = admin.Disconnect(ctx) }()
	return m.Run()
}

// newClient connects to a database of its own, dropped when tb ends, and
// returns it also raw, for tests that plant what a crash would leave.
func newClient(tb testing.TB) (*mongostore.Client, *mongo.Database) {
	tb.Helper()
	name := fmt.Sprintf("gatehouse_test_%d_%d", os.Getpid(), srv.dbSeq.Add(1))
	c, err := mongostore.New(mongostore.Options{URI: srv.uri, Database: name, Serialize: srv.serialize})
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	if err := c.Start(tb.Context()); err != nil {
		tb.Fatalf("Start: %v", err)
	}
	tb.Cleanup(func() {
		ctx := context.Background()
		if err := c.Close(ctx); err != nil {
			tb.Errorf("Close: %v", err)
		}
		if err := srv.admin.Database(name).Drop(ctx); err != nil {
			tb.Errorf("drop %s: %v", name, err)
		}
	})
	return c, srv.admin.Database(name)
}
