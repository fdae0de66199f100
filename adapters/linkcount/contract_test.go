package linkcount_test

import (
	"context"
	"testing"

	"gatehouse/adapters/linkcount"
	"gatehouse/adapters/memstore"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

func TestRedirectCounterContract(t *testing.T) {
	porttest.RunRedirectCounter(t, porttest.RedirectCounterHarness{
		Store: func(testing.TB) ports.LinkStore { return memstore.NewLinkStore() },
		New: func(tb testing.TB, store ports.LinkStore) ports.RedirectCounter {
			c, err := linkcount.New(store, linkcount.Options{})
			if err != nil {
				tb.Fatal(err)
			}
			tb.Cleanup(func() { _ = c.Close(context.Background()) })
			return c
		},
	})
}

func TestNewNeedsAStore(t *testing.T) {
	if _, err := linkcount.New(nil, linkcount.Options{}); err == nil {
		t.Fatal("New without a store: nil error")
	}
}
