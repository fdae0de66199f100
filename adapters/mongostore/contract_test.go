package mongostore_test

import (
	"testing"

	"gatehouse/adapters/mongostore"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

func TestUserStoreContract(t *testing.T) {
	porttest.RunUserStore(t, func(tb testing.TB) ports.UserStore {
		c, _ := newClient(tb)
		return mongostore.NewUserStore(c)
	})
}

func TestSessionStoreContract(t *testing.T) {
	porttest.RunSessionStore(t, func(tb testing.TB) ports.SessionStore {
		c, _ := newClient(tb)
		return mongostore.NewSessionStore(c)
	})
}

func TestKeyStoreContract(t *testing.T) {
	porttest.RunKeyStore(t, func(tb testing.TB) ports.KeyStore {
		c, _ := newClient(tb)
		return mongostore.NewKeyStore(c)
	})
}

func TestChallengeStoreContract(t *testing.T) {
	porttest.RunChallengeStore(t, func(tb testing.TB) ports.ChallengeStore {
		c, _ := newClient(tb)
		return mongostore.NewChallengeStore(c)
	})
}

func TestLinkStoreContract(t *testing.T) {
	porttest.RunLinkStore(t, func(tb testing.TB) ports.LinkStore {
		c, _ := newClient(tb)
		return mongostore.NewLinkStore(c)
	})
}

func TestVPNStoreContract(t *testing.T) {
	porttest.RunVPNStore(t, func(tb testing.TB) ports.VPNStore {
		c, _ := newClient(tb)
		return mongostore.NewVPNStore(c)
	})
}
