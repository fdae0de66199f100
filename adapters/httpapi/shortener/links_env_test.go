package shortener_test

import (
	"context"
	"crypto/rand"
	"net/url"
	"testing"

	"gatehouse/adapters/memstore"
	"gatehouse/core/links"
	"gatehouse/core/links/linksvc"
	"gatehouse/ports/porttest"
)

// newLinks starts the link use cases on memstore, with publicURL's host as
// gatehouse's own (so links back to it are loops), stopped in tb.Cleanup.
func newLinks(tb testing.TB, clk *porttest.Clock, cache *memstore.Cache, store *memstore.LinkStore) *linksvc.Service {
	tb.Helper()
	own, err := url.Parse(publicURL)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := linksvc.New(linksvc.Deps{
		Store: store, Cache: cache, Bus: memstore.NewBroadcaster(), Clock: clk, Random: rand.Reader,
		Policy: links.Policy{OwnHosts: []string{own.Host, "go.example.com"}},
	})
	if err != nil {
		tb.Fatal(err)
	}
	if err := s.Start(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Stop(context.Background()) })
	return s
}
