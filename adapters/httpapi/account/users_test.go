package account_test

import (
	"context"
	"fmt"
	"gatehouse/adapters/httpapi/httpapitest"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gatehouse/adapters/httpapi/account"
	"gatehouse/core/identity"
)

// seed stores n users directly, numbered 1..n, logins user_0001.. .
func seed(tb testing.TB, e *env, n int) {
	tb.Helper()
	for i := 1; i <= n; i++ {
		_, err := e.users.Create(context.Background(), identity.User{
			ID:        fmt.Sprintf("id%04d", i),
			Login:     fmt.Sprintf("user_%04d", i),
			Email:     fmt.Sprintf("user%d@example.com", i),
			FirstName: "Иван",
			LastName:  "Петров",
			Status:    identity.StatusActive,
			CreatedAt: time.Date(2024, 3, 7, 23, 32, 53, 818302000, time.FixedZone("MSK", 3*3600)),
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

func TestUsers(t *testing.T) {
	e := newEnv(t, account.Options{})
	seed(t, e, 130)

	tests := []struct {
		query     string
		n         int
		first, to int64
	}{
		{"", 20, 1, 20},
		{"?limit=5", 5, 1, 5},
		{"?limit=5&offset=10", 5, 11, 15},
		{"?offset=120", 10, 121, 130},
		{"?limit=100", 100, 1, 100},
		{"?limit=100&offset=100", 30, 101, 130},
		{"?offset=130", 0, 0, 0},
		{"?offset=1000", 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := e.call(t, http.MethodGet, "/info/users/"+tt.query, nil, nil)
			var page []map[string]any
			r.JSON(t, &page)
			if r.Status != http.StatusOK || len(page) != tt.n {
				t.Fatalf("= %d, %d users, want %d", r.Status, len(page), tt.n)
			}
			if tt.n == 0 {
				if strings.TrimSpace(string(r.Body)) != "[]" {
					t.Fatalf("empty page = %s, want []", r.Body)
				}
				return
			}
			if first, last := page[0]["id"].(float64), page[len(page)-1]["id"].(float64); int64(first) != tt.first || int64(last) != tt.to {
				t.Fatalf("ids %v..%v, want %d..%d", first, last, tt.first, tt.to)
			}
			if _, ok := page[0]["token"]; ok {
				t.Fatal("a listed user carries a token")
			}
			if _, ok := page[0]["permissions"]; ok {
				t.Fatal("a listed user carries permissions")
			}
			if page[0]["created_at"] != "2024-03-07 20:32:53.818302" {
				t.Fatalf("created_at = %v, want UTC", page[0]["created_at"])
			}
		})
	}

	for _, q := range []string{"?limit=0", "?limit=101", "?limit=x", "?offset=-1", "?offset=1.5"} {
		t.Run(q, func(t *testing.T) {
			r := e.call(t, http.MethodGet, "/info/users/"+q, nil, nil)
			name, _, _ := strings.Cut(strings.TrimPrefix(q, "?"), "=")
			if r.Status != http.StatusBadRequest || !strings.HasPrefix(messageOf(t, r), name+": must be an integer") {
				t.Fatalf("= %d %s, want 400 naming %s", r.Status, r.Body, name)
			}
		})
	}
}

func TestSearch(t *testing.T) {
	e := newEnv(t, account.Options{})
	seed(t, e, 3)
	reg := signUp(t, e) // id 4
	// A login of digits only is found by login when no user has it as id.
	digits := e.register(t, httpapitest.With(e.Example(t, http.MethodPost, "/account/registration"),
		"login", "20240307", "email", "digits@example.com"))
	if digits.Status != http.StatusOK {
		t.Fatalf("register a digits login = %d %s", digits.Status, digits.Body)
	}

	tests := []struct {
		ref    string
		status int
		login  string
	}{
		{"2", http.StatusOK, "user_0002"},
		{"4", http.StatusOK, reg.Login},
		{"danila_ginda", http.StatusOK, "danila_ginda"},
		{"user_0003", http.StatusOK, "user_0003"},
		{"20240307", http.StatusOK, "20240307"},
		{"99", http.StatusNotFound, ""},
		{"nobody_here", http.StatusNotFound, ""},
		{"99999999999999999999999", http.StatusNotFound, ""},
		{url.PathEscape("Данила"), http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			r := e.call(t, http.MethodGet, "/info/users/search-"+tt.ref, nil, nil)
			if r.Status != tt.status {
				t.Fatalf("= %d %s, want %d", r.Status, r.Body, tt.status)
			}
			if tt.status != http.StatusOK {
				messageOf(t, r)
				return
			}
			var p map[string]any
			r.JSON(t, &p)
			if p["login"] != tt.login {
				t.Fatalf("found %v, want %s", p["login"], tt.login)
			}
			if _, ok := p["token"]; ok {
				t.Fatal("a found user carries a token")
			}
		})
	}
}

func TestPrefix(t *testing.T) {
	e := newEnv(t, account.Options{Prefix: "/acc"})
	reg := signUp(t, e)
	if r := e.call(t, http.MethodGet, "/account/me", nil, auth(reg.Token)); r.Status != http.StatusOK {
		t.Fatalf("GET /acc/account/me = %d %s", r.Status, r.Body)
	}
	if r := e.call(t, http.MethodGet, "/info/users/search-1", nil, nil); r.Status != http.StatusOK {
		t.Fatalf("GET /acc/info/users/search-1 = %d %s", r.Status, r.Body)
	}
}
