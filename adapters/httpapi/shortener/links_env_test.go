package shortener_test

import (
	"context"
	"crypto/rand"
	"net/url"
	"testing"

	"gatehouse/adapters/linkcache"
	"gatehouse/adapters/linkcount"
	"gatehouse/adapters/memstore"
	"gatehouse/core/links"
	"gatehouse/core/links/linksvc"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

// newLinks starts the link use cases on memstore, with publicURL's host as
// gatehouse's own (so links back to it are loops), their cache stopped and
// counter closed in tb.Cleanup. Nothing flushes the counter before.
func newLinks(tb testing.TB, clk *porttest.Clock, cache *memstore.Cache, store *memstore.LinkStore) (*linksvc.Service, ports.RedirectCounter) {
	tb.Helper()
	own, err := url.Parse(publicURL)
	if err != nil {
		tb.Fatal(err)
	}
	lc, err := linkcache.New(cache, memstore.NewBroadcaster(), clk, linkcache.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	counter, err := linkcount.New(store, linkcount.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	s, err := linksvc.New(linksvc.Deps{
		Store: store, Cache: lc, Counter: counter, Clock: clk, Random: rand.Reader,
		Policy: links.Policy{OwnHosts: []string{own.Host, "go.example.com"}},
	})
	if err != nil {
		tb.Fatal(err)
	}
	if err := lc.Start(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		_ = lc.Stop(context.Background())
		_ = counter.Close(context.Background())
	})
	return s, counter
}
