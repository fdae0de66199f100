package mongostore_test

import (
	"testing"

	"gatehouse/adapters/mongostore"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

func TestArchiveContract(t *testing.T) {
	porttest.RunArchive(t, func(tb testing.TB) ports.Archive {
		c, _ := newClient(tb)
		return mongostore.NewArchive(c)
	})
}
