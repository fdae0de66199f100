package app

import (
	"context"
	"slices"
	"testing"
	"time"

	"gatehouse/core/identity"
)

// admin runs fn with the use cases of a command process beside the
// replicas (`gatehouse user ...`), on the same data dir and Redis.
func admin(tb testing.TB, env []string, fn func(ctx context.Context, uc UseCases) error) {
	tb.Helper()
	cfg := loadConfig(tb, env...)
	if err := WithUseCases(startCtx(tb), cfg, Build{}, quietLog(), fn); err != nil {
		tb.Fatal(err)
	}
}

// profileRoles reads contract 003's profile with token from svc.
func profileRoles(tb testing.TB, svc *service, token string) (int, []string) {
	tb.Helper()
	var p struct {
		Roles []string `json:"roles"`
	}
	code := svc.call(tb, "GET", "/v1/user/profile", "", bearer(token), &p)
	return code, p.Roles
}

// TestReplicasSeeChangesAtOnce: two replicas on one SQLite file and one
// Redis, each caching accounts in memory and remembering verified tokens.
// A role change made by a command is seen by both as soon as its broadcast
// arrives; a block and a logout are refused on the very
// next request on either replica, as without any cache.
func TestReplicasSeeChangesAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("boots two replicas and a redis-server")
	}
	redis := startRedis(t)
	env := []string{"GATEHOUSE_DATA_DIR=" + t.TempDir(), "GATEHOUSE_REDIS_URL=" + redis.URL()}
	a, b := startService(t, env...), startService(t, env...)

	const creds = `{"login":"ada@example.com","password":"correct horse battery","locale":"en"}`
	if code := a.call(t, "POST", "/v1/user", creds, nil, nil); code != 201 {
		t.Fatalf("register: %d", code)
	}
	login := func(svc *service) pair {
		t.Helper()
		var p pair
		if code := svc.call(t, "POST", "/v1/auth/login", `{"username":"ada@example.com","password":"correct horse battery"}`, nil, &p); code != 200 {
			t.Fatalf("login: %d", code)
		}
		return p
	}
	first := login(a)
	for _, svc := range []*service{a, b, a, b} { // both replicas hold the account and the token now
		if code, roles := profileRoles(t, svc, first.AccessToken); code != 200 || slices.Contains(roles, identity.RoleAdmin) {
			t.Fatalf("profile: %d %v", code, roles)
		}
	}

	admin(t, env, func(ctx context.Context, uc UseCases) error {
		u, err := uc.Admin.Find(ctx, "ada@example.com")
		if err == nil {
			_, err = uc.Admin.Grant(ctx, u.ID, identity.RoleAdmin)
		}
		return err
	})
	for _, svc := range []*service{a, b} {
		deadline := time.Now().Add(10 * time.Second)
		for {
			code, roles := profileRoles(t, svc, first.AccessToken)
			if code == 200 && slices.Contains(roles, identity.RoleAdmin) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the granted role never showed: %d %v", code, roles)
			}
			time.Sleep(time.Millisecond)
		}
	}

	// A logout elsewhere: the very next request on either replica is refused.
	second := login(b)
	for _, svc := range []*service{a, b} {
		if code, _ := profileRoles(t, svc, second.AccessToken); code != 200 {
			t.Fatalf("profile before logout: %d", code)
		}
	}
	admin(t, env, func(ctx context.Context, uc UseCases) error {
		return uc.Sessions.Logout(ctx, second.RefreshToken)
	})
	for _, svc := range []*service{a, b} {
		if code, _ := profileRoles(t, svc, second.AccessToken); code != 401 {
			t.Fatalf("a logged-out token: %d, want 401", code)
		}
	}

	// A block by the command: the very next request on either replica is
	// refused, and so is signing in.
	admin(t, env, func(ctx context.Context, uc UseCases) error {
		u, err := uc.Admin.Find(ctx, "ada@example.com")
		if err == nil {
			_, err = uc.Admin.Block(ctx, u.ID)
		}
		return err
	})
	for _, svc := range []*service{a, b} {
		if code, _ := profileRoles(t, svc, first.AccessToken); code != 401 {
			t.Fatalf("a blocked account's token: %d, want 401", code)
		}
		if code := svc.call(t, "POST", "/v1/auth/login", `{"username":"ada@example.com","password":"correct horse battery"}`, nil, nil); code == 200 {
			t.Fatal("a blocked account signed in")
		}
	}
}
