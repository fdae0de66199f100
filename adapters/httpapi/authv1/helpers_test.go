package authv1_test

import (
	"context"
	"crypto/rand"
	"log/slog"
	"testing"
	"time"

	"gatehouse/adapters/httpapi"
	"gatehouse/adapters/httpapi/authv1"
	"gatehouse/adapters/httpapi/httpapitest"
	"gatehouse/adapters/jwtsign"
	"gatehouse/adapters/memstore"
	"gatehouse/adapters/passhash"
	"gatehouse/core/identity"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/core/sessions"
	"gatehouse/core/sessions/sessionsvc"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

const (
	issuer   = "https://gatehouse.test"
	audience = "authv1-test"
)

// env is the authv1 frontend over the real use cases on memstore, with the
// OpenAPI document it serves, the session use cases (as an external
// service would call them) and the outbox of notifications.
type env struct {
	*httpapitest.Frontend
	signer *jwtsign.Signer
	sess   ports.Sessions
	users  ports.Accounts
	mail   *outbox
	// recovery is the use case itself, for what contract 003 has no
	// endpoint for (sending an email confirmation).
	recovery ports.Recovery
}

// deps are the use cases the frontend runs on.
type deps struct {
	identity *identitysvc.Service
	sessions *sessionsvc.Service
	signer   *jwtsign.Signer
	mail     *outbox
}

// newDeps builds the identity and session use cases on memstore, with
// tokens signed by alg and notifications kept in an outbox.
func newDeps(tb testing.TB, alg string) deps {
	tb.Helper()
	ctx := context.Background()
	clk := porttest.NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	hasher, err := passhash.New(passhash.Options{Memory: 64, Time: 1, Concurrency: 2})
	if err != nil {
		tb.Fatal(err)
	}
	signer, err := jwtsign.New(jwtsign.Options{Algorithm: alg, Issuer: issuer}, memstore.NewKeyStore(), clk)
	if err != nil {
		tb.Fatal(err)
	}
	if err := signer.Start(ctx); err != nil {
		tb.Fatal(err)
	}
	cache := memstore.NewCache(clk)
	tb.Cleanup(func() { _ = cache.Close() })
	sess, err := sessionsvc.New(sessionsvc.Deps{
		Store: memstore.NewSessionStore(), Signer: signer, Cache: cache, Clock: clk, Random: rand.Reader,
		Policy: sessions.Policy{Issuer: issuer, Audience: audience},
	})
	if err != nil {
		tb.Fatal(err)
	}
	mail := &outbox{}
	ident, err := identitysvc.New(identitysvc.Deps{
		Users: memstore.NewUserStore(), Hasher: hasher, Clock: clk, Random: rand.Reader,
		Challenges: memstore.NewChallengeStore(), Notifier: mail, Cache: cache, Sessions: sess,
		Links: ports.LinkRoutes{Base: "https://id.example.com", Paths: map[identity.Purpose]string{identity.PurposeEmailConfirm: authv1.ConfirmPath, identity.PurposePasswordReset: authv1.ConfirmPath}},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return deps{identity: ident, sessions: sess, signer: signer, mail: mail}
}

// newEnv builds the frontend with tokens signed by alg.
func newEnv(tb testing.TB, alg string, o authv1.Options) *env {
	tb.Helper()
	d := newDeps(tb, alg)
	o.Version, o.Commit = "v1.2.3", "3f2c1a9"
	api, err := authv1.New(o, d.identity, d.identity, d.identity, d.sessions, d.signer)
	if err != nil {
		tb.Fatal(err)
	}
	h, err := httpapi.NewRouter(httpapi.Options{}, httpapi.Deps{
		Log:    slog.New(slog.DiscardHandler),
		Signer: d.signer,
		Mounts: []httpapi.Mounter{api},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return &env{Frontend: httpapitest.NewFrontend(tb, h, o.Prefix+"/openapi/authv1.json", ""), signer: d.signer, sess: d.sessions, users: d.identity, mail: d.mail, recovery: d.identity}
}

// response is one answer of the frontend.
type response = httpapitest.Response

// tokens is the body of login and refresh.
type tokens struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
}
