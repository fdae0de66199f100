package sqlitestore_test

import (
	"testing"

	"gatehouse/adapters/sqlitestore"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

func TestUserStoreContract(t *testing.T) {
	porttest.RunUserStore(t, func(tb testing.TB) ports.UserStore { return sqlitestore.NewUserStore(newDB(tb)) })
}

func TestSessionStoreContract(t *testing.T) {
	porttest.RunSessionStore(t, func(tb testing.TB) ports.SessionStore { return sqlitestore.NewSessionStore(newDB(tb)) })
}

func TestKeyStoreContract(t *testing.T) {
	porttest.RunKeyStore(t, func(tb testing.TB) ports.KeyStore { return sqlitestore.NewKeyStore(newDB(tb)) })
}

func TestChallengeStoreContract(t *testing.T) {
	porttest.RunChallengeStore(t, func(tb testing.TB) ports.ChallengeStore { return sqlitestore.NewChallengeStore(newDB(tb)) })
}

func TestLinkStoreContract(t *testing.T) {
	porttest.RunLinkStore(t, func(tb testing.TB) ports.LinkStore { return sqlitestore.NewLinkStore(newDB(tb)) })
}

func TestArchiveContract(t *testing.T) {
	porttest.RunArchive(t, func(tb testing.TB) ports.Archive { return sqlitestore.NewArchive(newDB(tb)) })
}

func TestVPNStoreContract(t *testing.T) {
	porttest.RunVPNStore(t, func(tb testing.TB) ports.VPNStore { return sqlitestore.NewVPNStore(newDB(tb)) })
}
