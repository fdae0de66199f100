package authv1_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gatehouse/adapters/httpapi/authv1"
	"gatehouse/adapters/jwtsign"
)

func TestAddAddress(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	_, pair := signUp(t, e)
	ex := e.example(t, http.MethodPost, "/v1/user/address")

	r := e.call(t, http.MethodPost, "/v1/user/address", ex, bearer(pair.AccessToken))
	var added struct {
		AddressID string `json:"addressId"`
	}
	r.json(t, &added)
	if r.status != http.StatusOK || added.AddressID == "" {
		t.Fatalf("add the example = %d %s", r.status, r.body)
	}

	r = e.call(t, http.MethodGet, "/v1/user/profile", nil, bearer(pair.AccessToken))
	var p struct{ Addresses []string }
	r.json(t, &p)
	if r.status != http.StatusOK || !slices.Equal(p.Addresses, []string{ex["address"].(string)}) {
		t.Fatalf("profile after adding = %d %s, want the address", r.status, r.body)
	}

	tests := []struct {
		name   string
		body   any
		header http.Header
		status int
		fields string
	}{
		{"the same address again", ex, bearer(pair.AccessToken), http.StatusConflict, ""},
		{"no name", with(ex, "name", nil), bearer(pair.AccessToken), http.StatusBadRequest, "name"},
		{"nothing", `{}`, bearer(pair.AccessToken), http.StatusBadRequest, "address,name"},
		{"address is a number", with(ex, "address", 42), bearer(pair.AccessToken), http.StatusBadRequest, "address"},
		{"address with a space", with(ex, "address", "0x5290 8400"), bearer(pair.AccessToken), http.StatusBadRequest, "address"},
		{"address too long", with(ex, "address", strings.Repeat("a", 257)), bearer(pair.AccessToken), http.StatusBadRequest, "address"},
		{"name too long", with(ex, "address", "0x1", "name", strings.Repeat("я", 101)), bearer(pair.AccessToken), http.StatusBadRequest, "name"},
		{"no token", ex, nil, http.StatusUnauthorized, ""},
		{"refresh token as bearer", ex, bearer(pair.RefreshToken), http.StatusUnauthorized, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.call(t, http.MethodPost, "/v1/user/address", tt.body, tt.header)
			if r.status != tt.status || fieldsOf(errorOf(t, r)) != tt.fields {
				t.Fatalf("= %d %s, want %d naming %q", r.status, r.body, tt.status, tt.fields)
			}
		})
	}
}

func TestAddressExists(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	signUp(t, e)
	email := e.example(t, http.MethodPost, "/v1/user")["login"].(string)
	exists := func(email string) response {
		return e.call(t, http.MethodGet, "/v1/user/address/exists?email="+url.QueryEscape(email), nil, nil)
	}

	for _, tt := range []struct {
		email string
		want  bool
	}{{email, true}, {"nobody@example.com", false}} {
		r := exists(tt.email)
		var got struct{ Exist *bool }
		r.json(t, &got)
		if r.status != http.StatusOK || got.Exist == nil || *got.Exist != tt.want {
			t.Fatalf("exists %s = %d %s, want %v", tt.email, r.status, r.body, tt.want)
		}
	}
	for name, path := range map[string]string{
		"no email":     "/v1/user/address/exists",
		"empty email":  "/v1/user/address/exists?email=",
		"not an email": "/v1/user/address/exists?email=alice",
	} {
		r := e.call(t, http.MethodGet, path, nil, nil)
		if r.status != http.StatusBadRequest || fieldsOf(errorOf(t, r)) != "email" {
			t.Errorf("%s = %d %s, want 400 naming email", name, r.status, r.body)
		}
	}
}

// TestAddressExistsIsThrottled asks until the per-IP limit answers 429,
// which must say when to come back.
func TestAddressExistsIsThrottled(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	const ceiling = 1000 // far above any sane per-IP limit
	for i := range ceiling {
		r := e.call(t, http.MethodGet, "/v1/user/address/exists?email=probe"+strconv.Itoa(i)+"%40example.com", nil, nil)
		if r.status == http.StatusOK {
			continue
		}
		if r.status != http.StatusTooManyRequests || errorOf(t, r).Error.Code != "rate_limited" {
			t.Fatalf("request %d = %d %s, want 200 or 429", i, r.status, r.body)
		}
		if secs, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || secs <= 0 {
			t.Fatalf("Retry-After = %q, want whole seconds > 0", r.header.Get("Retry-After"))
		}
		return
	}
	t.Fatalf("%d lookups from one IP were never throttled", ceiling)
}
