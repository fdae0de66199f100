package sessionsvc

import (
	"fmt"
	"testing"
	"time"

	"gatehouse/core/sessions"
)

func TestVerifiedCacheStaysBounded(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		expiry time.Duration // of every second entry; the others live an hour
	}{
		{"none expired", time.Hour},
		{"half expired", time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newVerifiedCache(100)
			for i := range 1000 {
				exp := now.Add(time.Hour)
				if i%2 == 0 {
					exp = now.Add(tt.expiry)
				}
				v.put(fmt.Sprint("token-", i), "app", sessions.Claims{Subject: "u", ExpiresAt: exp}, now)
				if i%100 == 0 {
					now = now.Add(2 * time.Second)
				}
				if len(v.entries) > 100 {
					t.Fatalf("after %d puts the cache holds %d entries", i+1, len(v.entries))
				}
			}
			if _, ok := v.get("token-999", "app", now); !ok {
				t.Fatal("the newest entry is missing")
			}
		})
	}
}

func TestVerifiedCacheCopiesRoles(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	v := newVerifiedCache(10)
	v.put("t", "app", sessions.Claims{ExpiresAt: now.Add(time.Minute), Roles: []string{"admin"}}, now)
	c, _ := v.get("t", "app", now)
	c.Roles[0] = "changed"
	if c, _ := v.get("t", "app", now); c.Roles[0] != "admin" {
		t.Fatalf("a caller changed the cached roles: %v", c.Roles)
	}
}
