package memstore_test

import (
	"testing"

	"gatehouse/adapters/memstore"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

func TestLinkStore(t *testing.T) {
	porttest.RunLinkStore(t, func(testing.TB) ports.LinkStore { return memstore.NewLinkStore() })
}

func TestBroadcaster(t *testing.T) {
	porttest.RunBroadcaster(t, func(testing.TB) ports.Broadcaster { return memstore.NewBroadcaster() })
}
