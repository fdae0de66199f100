package memstore_test

import (
	"testing"

	"gatehouse/adapters/memstore"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

func TestUserStore(t *testing.T) {
	porttest.RunUserStore(t, func(testing.TB) ports.UserStore { return memstore.NewUserStore() })
}

func TestSessionStore(t *testing.T) {
	porttest.RunSessionStore(t, func(testing.TB) ports.SessionStore { return memstore.NewSessionStore() })
}

func TestKeyStore(t *testing.T) {
	porttest.RunKeyStore(t, func(testing.TB) ports.KeyStore { return memstore.NewKeyStore() })
}

func TestVPNStore(t *testing.T) {
	porttest.RunVPNStore(t, func(testing.TB) ports.VPNStore { return memstore.NewVPNStore() })
}
